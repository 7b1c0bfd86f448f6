// JSON text for the Python bridge that keeps NaN and ±Infinity (JSON.stringify would turn them
// into null), so Python's validation can name the bad value the user typed.
const MARK = "\u0000bpx-nonfinite:";

export function encode(value) {
  const text = JSON.stringify(value, (_key, v) =>
    typeof v === "number" && !Number.isFinite(v) ? MARK + String(v) : v,
  );
  return text.replace(/"\\u0000bpx-nonfinite:(NaN|Infinity|-Infinity)"/g, "$1");
}
