import { adjacencyGraphs, dictionary } from "@zxcvbn-ts/language-common";

/**
 * The portal's one password rule, used by the embedded Auth (signup, PUT /user, admin
 * create/update), the app's own forms (/welcome, /profile, recovery) and mirrored in
 * supabase/config.toml: at least 8 characters, no invisible characters and not only spaces,
 * and not a common or breached password — the 49 000 of @zxcvbn-ts/language-common, the
 * Chinese pinyin favourites below, and their usual variations (digits or symbols added,
 * leetspeak, repetitions, sequences, keyboard walks, dates, the address's own name).
 *
 * Pure: no I/O. `passwordShapeProblems` is the part cheap enough for the browser (the list
 * is only loaded by `passwordProblems`, so forms that only check the shape do not ship it).
 */

export const PASSWORD_MIN_LENGTH = 8;
/** bcrypt reads 72 bytes; GoTrue refuses longer passwords rather than truncating them. */
export const PASSWORD_MAX_BYTES = 72;

export type PasswordProblem = "tooShort" | "tooLong" | "invisible" | "common";

/** The message of each problem, a key in public/locales/<lng>/validation.json that says what to do. */
export const PASSWORD_PROBLEM_KEYS: Record<PasswordProblem, string> = {
  tooShort: "validation:passwordTooShort",
  tooLong: "validation:passwordTooLong",
  invisible: "validation:passwordInvisible",
  common: "validation:passwordCommon",
};

/** GoTrue's weak_password reasons (internal/api/password.go) for each problem; tooLong is 400 validation_failed there. */
export const GOTRUE_WEAK_PASSWORD_REASONS: Partial<Record<PasswordProblem, "length" | "characters" | "pwned">> = {
  tooShort: "length",
  invisible: "characters",
  common: "pwned",
};

/** The problem behind a weak_password answer's reasons (Supabase Auth or the embedded one). */
export function problemOfWeakPasswordReasons(reasons: readonly string[] | undefined): PasswordProblem {
  if (reasons?.includes("length")) return "tooShort";
  if (reasons?.includes("characters")) return "invisible";
  return "common";
}

/**
 * Control, format (zero-width space, joiners, bidi marks, BOM, soft hyphen), separator,
 * private-use, surrogate and unassigned code points, and whatever Unicode says may render
 * as nothing (Hangul fillers, variation selectors, tags).
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Cs}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/u;
const BLANK = /^[\p{White_Space}]*$/u;

/** Length (in characters), size and visibility: what the browser checks too. */
export function passwordShapeProblems(password: string): PasswordProblem[] {
  const problems: PasswordProblem[] = [];
  if (new TextEncoder().encode(password).length > PASSWORD_MAX_BYTES) problems.push("tooLong");
  if ([...password].length < PASSWORD_MIN_LENGTH) problems.push("tooShort");
  if (INVISIBLE.test(password) || BLANK.test(password)) problems.push("invisible");
  return problems;
}

/**
 * Every problem of a password, most basic first (empty: acceptable). `email` adds the
 * address's own name (and domain name) to the words that cannot be the password.
 */
export function passwordProblems(password: string, context: { email?: string | null } = {}): PasswordProblem[] {
  const problems = passwordShapeProblems(password);
  if (!problems.includes("invisible") && isCommon(password, contextWords(context.email))) problems.push("common");
  return problems;
}

/** The translation key of a new password's first problem, or null: what an action answers. */
export function passwordProblemKey(password: string, context: { email?: string | null } = {}): string | null {
  const problem = passwordProblem(password, context);
  return problem ? PASSWORD_PROBLEM_KEYS[problem] : null;
}

/** The first problem, or null. */
export function passwordProblem(password: string, context: { email?: string | null } = {}): PasswordProblem | null {
  return passwordProblems(password, context)[0] ?? null;
}

/**
 * Favourites of Chinese users missing from the English-language lists (pinyin phrases and
 * names, number codes such as 5201314 "I love you for ever", place names of the portal's
 * schools), lower case.
 */
const CHINESE_FAVOURITES = `woaini woaini1314 woaini520 woaini521 woainimama woainibaba woaiwojia woaizhongguo
aini aini1314 5201314 1314520 5211314 520520 521521 7758521 7758258 1314 520 woshishui wodemima mima
mimamima nihao nihaoma caonima nimabi wocao shabi buzhidao haha hahaha hehe xixi baobao beibei bobo
tiantian xiaoxiao yangyang jiajia yuanyuan huanhuan lele dandan tingting feifei xinxin qingqing
laopo laogong aiyou jiushiaini zhongguo zhonghua china beijing shanghai chongqing hechuan leiwuqi
xizang lasa lhasa changdu chamdo tibet sichuan chengdu zhangwei wangwei wangfang liwei lina zhangmin
lijing wangjing liuwei wangxiuying zhangli liqiang wangli wangyang liuyang zhangyong zhangjie
zhangyan zhangjing xiaoming xiaohong xiaoli xiaowang laowang zhangsan lisi wangwu qq qq123 qq123456
qwe123 qaz123 asd123 zxc123 abc123456 a123456 a1234567 a12345678 a123456789 123456a 123456aa
123456abc 123abc 1q2w3e4r 1q2w3e4r5t 1234qwer qwer1234 dearbook xiazhili 147258369 147258 159357
159753 258369 789456 789456123 123654789 963852741 741852963 31415926 3.1415926 11223344 12344321
123321123 110110 110110110 12301230 123123123 123456123 zhaxi zhaxidele tashidelek tashi dawa
zhuoma laoshi xuesheng xuexiao jiaoshi banzhuren tongxue pengyou mingtian jintian kaixin
xingfu pingan jiayou fendou nuli shengri`
  .split(/\s+/)
  .filter(Boolean);

let commonWords: Set<string> | undefined;
function common(): Set<string> {
  commonWords ??= new Set([...dictionary["passwords-common"], ...CHINESE_FAVOURITES]);
  return commonWords;
}

function contextWords(email: string | null | undefined): string[] {
  if (!email) return [];
  const [local = "", domain = ""] = email.toLowerCase().split("@");
  const domainName = domain.split(".")[0] ?? "";
  // teacher.hechuan → teacher.hechuan, teacherhechuan, teacher, hechuan
  const parts = local.split(/[^\p{L}\p{N}]+/u).filter((part) => part.length >= 3);
  return [local, local.replace(/[^\p{L}\p{N}]+/gu, ""), ...parts, domainName].filter((word) => word.length >= 3);
}

const LEET: Record<string, string> = {
  "@": "a",
  "4": "a",
  "8": "b",
  "3": "e",
  "6": "g",
  "1": "i",
  "!": "i",
  "0": "o",
  $: "s",
  "5": "s",
  "7": "t",
  "2": "z",
};

/** The forms worth looking up: as typed (lower case, NFKC), and with leetspeak read as letters. */
function variants(password: string): string[] {
  const plain = password.normalize("NFKC").toLowerCase();
  const unleet = [...plain].map((c) => LEET[c] ?? c).join("");
  const unleetL = [...plain].map((c) => (c === "1" ? "l" : (LEET[c] ?? c))).join("");
  return [...new Set([plain, unleet, unleetL])];
}

/** The core of a password once digits and symbols added before or after it are taken off. */
function core(word: string): string {
  return word.replace(/^[^\p{L}]+/u, "").replace(/[^\p{L}]+$/u, "");
}

function isCommon(password: string, context: string[]): boolean {
  const words = common();
  const known = (word: string) => words.has(word) || context.includes(word);
  for (const candidate of variants(password)) {
    const joined = candidate.replace(/[^\p{L}\p{N}]+/gu, "");
    for (const form of new Set([candidate, joined])) {
      if (known(form) || isDate(form) || isRepetition(form) || isSequence(form) || isKeyboardWalk(form)) return true;
    }
    // A common word with a few digits or symbols around it: password2024!, woaini1314, 123iloveyou.
    const stripped = core(candidate);
    if (stripped.length > 0 && [...candidate].length - [...stripped].length <= 6 && known(stripped)) return true;
    // A common word twice: woaiwoai, monkeymonkey.
    const halves = /^(.+?)\1$/u.exec(stripped);
    if (halves && known(halves[1])) return true;
    // Common letters and common (or few) digits in any order: abc123456, 1314woaini.
    const letters = candidate.replace(/[^\p{L}]+/gu, "");
    const digits = candidate.replace(/[^\p{N}]+/gu, "");
    if (letters && digits && known(letters) && (words.has(digits) || digits.length <= 4)) return true;
  }
  return false;
}

/** Birthdays: 19870612, 20010101. */
const isDate = (word: string) => /^(19|20)\d\d(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$/.test(word);

/** One short unit repeated, or hardly more than two different characters: aaaaaaaa, abcabcab, 11112222. */
function isRepetition(word: string): boolean {
  const chars = [...word];
  if (new Set(chars).size <= 2) return true;
  for (let unit = 1; unit <= 4 && unit * 2 <= chars.length; unit++) {
    if (chars.every((c, i) => c === chars[i % unit])) return true;
  }
  return false;
}

/** Consecutive characters going up or down by one all along: 12345678, abcdefgh, 98765432. */
function isSequence(word: string): boolean {
  const codes = [...word].map((c) => c.codePointAt(0)!);
  if (codes.length < 3) return false;
  const step = codes[1] - codes[0];
  if (Math.abs(step) !== 1) return false;
  return codes.every((code, i) => i === 0 || code - codes[i - 1] === step);
}

type Graph = Record<string, (string | null)[]>;
const GRAPHS = [adjacencyGraphs.qwerty, adjacencyGraphs.keypad] as unknown as Graph[];

function adjacent(graph: Graph, a: string, b: string): boolean {
  if (a === b) return true;
  return (graph[a] ?? []).some((keys) => keys !== null && keys.includes(b));
}

/** Runs of neighbouring keys, each of three or more, from end to end: qwertyui, 1qaz2wsx, qazwsxedc, 7894561230. */
function isKeyboardWalk(word: string): boolean {
  const chars = [...word];
  if (chars.length < 3) return false;
  return GRAPHS.some((graph) => {
    let run = 1;
    for (let i = 1; i < chars.length; i++) {
      if (adjacent(graph, chars[i - 1], chars[i])) run++;
      else {
        if (run < 3) return false;
        run = 1;
      }
    }
    return run >= 3;
  });
}
