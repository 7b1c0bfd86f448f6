// The files build.py inlined into the single-file page, gzip-compressed and base64-encoded:
// unpacking them, checking the Python packages against pyodide-lock.json, and serving them to
// Pyodide through fetch(). Runs in the Python worker and on the page; uses only standard APIs
// (atob, ReadableStream, DecompressionStream, crypto.subtle, Response).

export const DOWNLOAD_AGAIN = "This copy of backprop-explorer.html is damaged or was altered: download it again.";
export const OTHER_BROWSER =
  "The file itself may be fine: open it in another browser (a current Chrome, Edge, Firefox or " +
  "Safari), or put it on a web server and open it from there.";

// An inlined file as the page hands it over: {name, data: base64 text, size: bytes unpacked}.
// "Damaged" is said only when the data itself fails a check: text that is not base64, gzip
// data that does not decode or whose CRC-32 or length does not match, or the wrong unpacked
// size. A DOMException while unpacking is the browser refusing to read, and the message says so.
export async function unpackAsset({ name, data, size }) {
  let packed;
  try {
    packed = base64Bytes(data);
  } catch (err) {
    throw new Error(`${name} is damaged in this file (${err.message}). ${DOWNLOAD_AGAIN}`, { cause: err });
  }
  let bytes;
  try {
    bytes = await gunzip(packed);
  } catch (err) {
    if (err instanceof DOMException) {
      // The platform refused the read (WebKit from disk: NotReadableError): not the data.
      const refusal = `${err.name}: ${err.message}`;
      throw new Error(`This browser could not unpack ${name} (${refusal}). ${OTHER_BROWSER}`, { cause: err });
    }
    // The decoder's own error (a TypeError, as the Compression Streams standard says): the
    // data is not valid gzip, or fails its CRC-32 or length.
    throw new Error(`${name} is damaged in this file (${err.message}). ${DOWNLOAD_AGAIN}`, { cause: err });
  }
  if (bytes.length !== size) {
    throw new Error(`${name} unpacked to ${bytes.length} bytes instead of ${size}. ${DOWNLOAD_AGAIN}`);
  }
  return bytes;
}

function base64Bytes(text) {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

// The bytes go in through a ReadableStream of our own, not Blob.stream(): WebKit refuses to
// read a Blob's stream on a page opened from disk (NotReadableError), though the data is fine.
async function gunzip(bytes) {
  const source = new ReadableStream({
    start(controller) {
      controller.enqueue(bytes);
      controller.close();
    },
  });
  const reader = source.pipeThrough(new DecompressionStream("gzip")).getReader();
  const chunks = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    length += value.length;
  }
  const out = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

async function sha256(bytes) {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
}

const hex = (digest) => Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");

// Refuse to start Python unless every package of pyodide-lock.json (numpy) is inlined with the
// sha256 the lock file names: the same check the served site's Pyodide makes when it loads them.
export async function checkPackages(files) {
  const lock = JSON.parse(new TextDecoder().decode(files.get("pyodide-lock.json")));
  for (const entry of Object.values(lock.packages)) {
    const wheel = files.get(entry.file_name);
    if (!wheel) throw new Error(`${entry.file_name} is missing from this file. ${DOWNLOAD_AGAIN}`);
    const got = hex(await sha256(wheel));
    if (got !== entry.sha256) {
      throw new Error(
        `Refusing to load ${entry.file_name}: its sha256 is ${got}, but pyodide-lock.json ` +
          `expects ${entry.sha256}. ${DOWNLOAD_AGAIN}`,
      );
    }
  }
}

const CONTENT_TYPES = { ".wasm": "application/wasm", ".json": "application/json" };

function contentType(name) {
  const ext = name.slice(name.lastIndexOf("."));
  return CONTENT_TYPES[ext] ?? "application/octet-stream"; // wasm must say so: instantiateStreaming
}

// Make fetch() answer every URL under `base` from `files` (name -> bytes), as a server would,
// including Subresource Integrity ("sha256-…", which Pyodide passes for wheels). A URL under
// `base` that is not inlined is refused; any other URL goes to the browser's own fetch.
export function installFetchShim(base, files) {
  const browserFetch = globalThis.fetch;
  globalThis.fetch = async function inlineFetch(resource, init = {}) {
    const url = typeof resource === "object" && "url" in resource ? resource.url : String(resource);
    if (!url.startsWith(base)) return browserFetch.call(globalThis, resource, init);
    const name = decodeURIComponent(url.slice(base.length));
    const bytes = files.get(name);
    if (!bytes) throw new TypeError(`${name} is not inlined in this file, so it cannot be loaded`);
    if (init.integrity) await checkIntegrity(name, bytes, init.integrity);
    return new Response(bytes, { status: 200, headers: { "Content-Type": contentType(name) } });
  };
}

async function checkIntegrity(name, bytes, integrity) {
  const want = /^sha256-(.+)$/.exec(integrity.trim());
  if (!want) throw new TypeError(`${name}: unsupported integrity "${integrity}"`);
  const got = btoa(String.fromCharCode(...(await sha256(bytes))));
  if (got !== want[1]) throw new TypeError(`${name} fails its integrity check. ${DOWNLOAD_AGAIN}`);
}
