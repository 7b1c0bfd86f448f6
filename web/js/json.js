// JSON text for the Python bridge. It keeps NaN and ±Infinity (JSON.stringify would turn them
// into null), so Python's validation can name the bad value the user typed, and it refuses
// anything that is not plain data — a function, a Date, a cycle, an undefined entry — with a
// message that says where it is, instead of letting JSON.stringify drop or mangle it.
const MARK = "\u0000bpx-nonfinite:";
const PLAIN = "numbers, text, true/false, null, lists and objects";

function kindOf(value) {
  if (value === undefined) return "undefined";
  if (typeof value === "function") return "a function";
  if (typeof value === "symbol") return "a symbol";
  if (typeof value === "bigint") return "a BigInt";
  const name = Object.getPrototypeOf(value)?.constructor?.name;
  return name ? `a ${name}` : "an object that is not plain data";
}

// Throws an Error naming the first value under `value` that is not plain data, by its path
// from `name` (e.g. "partial.input[1]").
export function checkPlain(value, name) {
  const seen = new Set();
  const visit = (v, path) => {
    if (v === null || typeof v === "string" || typeof v === "number" || typeof v === "boolean") return;
    if (typeof v === "object" && seen.has(v)) throw new Error(`${path} contains itself, so it is not plain data (${PLAIN})`);
    const proto = typeof v === "object" ? Object.getPrototypeOf(v) : undefined;
    if (Array.isArray(v)) {
      seen.add(v);
      v.forEach((item, i) => visit(item, `${path}[${i}]`));
      seen.delete(v);
    } else if (typeof v === "object" && (proto === Object.prototype || proto === null)) {
      seen.add(v);
      for (const key of Object.keys(v)) visit(v[key], `${path}.${key}`);
      seen.delete(v);
    } else {
      throw new Error(`${path} is ${kindOf(v)}, not plain data (${PLAIN})`);
    }
  };
  visit(value, name);
}

// `args`: an object of named arguments; a named argument left undefined is left out.
export function encode(value) {
  const text = JSON.stringify(value, (_key, v) =>
    typeof v === "number" && !Number.isFinite(v) ? MARK + String(v) : v,
  );
  return text.replace(/"\\u0000bpx-nonfinite:(NaN|Infinity|-Infinity)"/g, "$1");
}
