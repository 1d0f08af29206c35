/**
 * Keeps the record that makes landed migrations immutable (tests/db/migrations-immutable.test.ts):
 *
 *   npx tsx scripts/record-migrations.ts             adds every migration not yet in
 *                                                    tests/fixtures/migrations/checksums.json
 *   npx tsx scripts/record-migrations.ts --history <commit>…
 *                                                    records how supabase/migrations looked at
 *                                                    those commits, as patches from today's files
 *
 * A recorded checksum is never rewritten: an edited migration must be put back and its fix
 * written as a new migration. The history is what the upgrade test applies before today's
 * migrations; it is kept as reverse patches (a few KB each) so the test needs no git.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const fixtures = path.join(root, "tests", "fixtures", "migrations");
const checksumsFile = path.join(fixtures, "checksums.json");

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
const git = (...args: string[]) => execFileSync("git", args, { cwd: root, encoding: "utf8", maxBuffer: 64 << 20 });

function recordChecksums() {
  const recorded: Record<string, string> = fs.existsSync(checksumsFile) ? JSON.parse(fs.readFileSync(checksumsFile, "utf8")) : {};
  // Only what is committed: a migration still being written in the working tree has not landed.
  const committed = git("ls-tree", "--name-only", "HEAD", "supabase/migrations/")
    .split("\n")
    .filter((f) => f.endsWith(".sql"));
  for (const file of committed.map((f) => path.basename(f)).sort()) {
    if (recorded[file]) continue;
    recorded[file] = sha256(git("show", `HEAD:supabase/migrations/${file}`));
    console.log(`recorded ${file}`);
  }
  const sorted = Object.fromEntries(Object.entries(recorded).sort(([a], [b]) => a.localeCompare(b)));
  fs.mkdirSync(fixtures, { recursive: true });
  fs.writeFileSync(checksumsFile, `${JSON.stringify(sorted, null, 2)}\n`);
}

function recordHistory(commits: string[]) {
  for (const commit of commits) {
    const short = git("rev-parse", "--short=7", commit).trim();
    const dir = path.join(fixtures, "history", short);
    fs.mkdirSync(dir, { recursive: true });
    const files = git("ls-tree", "--name-only", commit, "supabase/migrations/")
      .split("\n")
      .filter((f) => f.endsWith(".sql"))
      .map((f) => path.basename(f))
      .sort();
    const patched: string[] = [];
    for (const file of files) {
      const patch = git("diff", "--no-color", "--no-ext-diff", "-U3", "HEAD", commit, "--", `supabase/migrations/${file}`);
      if (!patch) continue;
      fs.writeFileSync(path.join(dir, `${file}.patch`), patch);
      patched.push(file);
    }
    const subject = git("log", "-1", "--format=%s", commit).trim().slice(0, 120);
    fs.writeFileSync(path.join(dir, "migrations.json"), `${JSON.stringify({ commit: short, subject, files, patched }, null, 2)}\n`);
    console.log(`${short}: ${files.length} migrations, ${patched.length} differing from today`);
  }
}

const args = process.argv.slice(2);
if (args[0] === "--history") recordHistory(args.slice(1));
else recordChecksums();
