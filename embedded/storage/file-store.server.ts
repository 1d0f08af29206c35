import { randomUUID } from "node:crypto";
import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import { isValidBucketName, isValidObjectKey } from "./object-keys";

/** A file moved into its object's place; `undo` puts back what was there before. */
export interface Placement {
  undo(): Promise<void>;
  /** Forgets what was replaced, once the object's row is committed. */
  done(): Promise<void>;
}

/**
 * Objects as files: `<root>/<bucket>/<key>`. Uploads are first written whole to a staging
 * folder beside the root (same file system), then linked into place by the transaction
 * that records their row, so a half-written file is never served and a refused upload
 * leaves nothing behind.
 */
export function createFileStore(dataDir: string) {
  const root = path.resolve(dataDir, "storage");
  const staging = path.resolve(dataDir, "storage-uploads");

  /** The file of an object, never outside its bucket's folder. */
  function fileOf(bucketId: string, key: string): string {
    if (!isValidBucketName(bucketId) || !isValidObjectKey(key)) throw new Error(`Not a storable object: ${bucketId}/${key}`);
    const bucketDir = path.join(root, bucketId);
    const file = path.resolve(bucketDir, ...key.split("/"));
    if (!file.startsWith(bucketDir + path.sep)) throw new Error(`Object outside its bucket: ${bucketId}/${key}`);
    return file;
  }

  return {
    fileOf,

    async stage(bytes: Buffer): Promise<string> {
      await fsp.mkdir(staging, { recursive: true });
      const file = path.join(staging, randomUUID());
      await fsp.writeFile(file, bytes, { flag: "wx", mode: 0o600 });
      return file;
    },

    async discard(staged: string): Promise<void> {
      await fsp.rm(staged, { force: true });
    },

    /**
     * Links the staged file into the object's place. A new object never overwrites a file
     * (one there belongs to no row we know of — or, on a case-insensitive disk, to another
     * key): that is refused with EEXIST. `replace` (an upsert) keeps the old file aside
     * until `done`.
     */
    async place(staged: string, bucketId: string, key: string, options: { replace: boolean }): Promise<Placement> {
      const file = fileOf(bucketId, key);
      await fsp.mkdir(path.dirname(file), { recursive: true });
      let backup: string | null = null;
      if (options.replace && fs.existsSync(file)) {
        backup = `${staged}.previous`;
        await fsp.rename(file, backup);
      }
      try {
        await fsp.link(staged, file);
      } catch (error) {
        if (backup) await fsp.rename(backup, file);
        throw error;
      }
      return {
        async undo() {
          await fsp.rm(file, { force: true });
          if (backup) await fsp.rename(backup, file);
        },
        async done() {
          if (backup) await fsp.rm(backup, { force: true });
        },
      };
    },

    /** The object's file for reading, or null when it is missing. */
    async open(bucketId: string, key: string): Promise<{ stream: fs.ReadStream; size: number } | null> {
      const file = fileOf(bucketId, key);
      try {
        const handle = await fsp.open(file, "r");
        const stat = await handle.stat();
        if (!stat.isFile()) {
          await handle.close();
          return null;
        }
        return { stream: handle.createReadStream(), size: stat.size };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
        throw error;
      }
    },
  };
}

export type FileStore = ReturnType<typeof createFileStore>;
