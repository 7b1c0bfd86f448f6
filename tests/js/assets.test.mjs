// The single file's inlined files (single-file/assets.js): unpacking, the wheel check against
// pyodide-lock.json, and the fetch() shim that serves them to Pyodide. Node has the same
// standard APIs as the browser here (atob, DecompressionStream, crypto.subtle, Response).
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { test } from "node:test";
import { gzipSync } from "node:zlib";

import { DOWNLOAD_AGAIN, checkPackages, installFetchShim, unpackAsset } from "../../single-file/assets.js";

const bytes = new TextEncoder().encode("print('hello from the wheel')\n".repeat(20));
const inlined = (data) => Buffer.from(gzipSync(data)).toString("base64");
const sha256 = (data) => createHash("sha256").update(data);

test("an inlined file unpacks to its bytes, and a damaged one says download again", async () => {
  assert.deepEqual(await unpackAsset({ name: "a.whl", data: inlined(bytes), size: bytes.length }), bytes);
  await assert.rejects(unpackAsset({ name: "a.whl", data: inlined(bytes), size: 7 }), {
    message: `a.whl unpacked to ${bytes.length} bytes instead of 7. ${DOWNLOAD_AGAIN}`,
  });
  const damaged = inlined(bytes).slice(0, 40);
  await assert.rejects(unpackAsset({ name: "a.whl", data: damaged, size: bytes.length }), (err) => {
    assert.match(err.message, /^a\.whl is damaged in this file \(.+\)\. This copy of backprop-explorer\.html/);
    assert.ok(err.cause instanceof Error);
    return true;
  });
});

test("every wheel of the lock file must be there with its sha256", async () => {
  const lock = (sha) => new TextEncoder().encode(JSON.stringify({ packages: { numpy: { file_name: "n.whl", sha256: sha } } }));
  const good = sha256(bytes).digest("hex");
  await checkPackages(new Map([["pyodide-lock.json", lock(good)], ["n.whl", bytes]]));
  const altered = bytes.slice();
  altered[0] ^= 1;
  await assert.rejects(checkPackages(new Map([["pyodide-lock.json", lock(good)], ["n.whl", altered]])), {
    message:
      `Refusing to load n.whl: its sha256 is ${sha256(altered).digest("hex")}, but pyodide-lock.json ` +
      `expects ${good}. ${DOWNLOAD_AGAIN}`,
  });
  await assert.rejects(checkPackages(new Map([["pyodide-lock.json", lock(good)]])), {
    message: `n.whl is missing from this file. ${DOWNLOAD_AGAIN}`,
  });
});

test("fetch() answers the inlined files under the base, checks integrity, and passes other URLs on", async (t) => {
  const base = "https://backprop-explorer.invalid/pyodide/";
  const passed = [];
  const original = globalThis.fetch;
  t.after(() => {
    globalThis.fetch = original;
  });
  globalThis.fetch = async (resource) => {
    passed.push(String(resource));
    return new Response("from the network");
  };
  installFetchShim(base, new Map([["pyodide.asm.wasm", bytes], ["n v.whl", bytes]]));

  const wasm = await fetch(`${base}pyodide.asm.wasm`);
  assert.equal(wasm.headers.get("Content-Type"), "application/wasm");
  assert.deepEqual(new Uint8Array(await wasm.arrayBuffer()), bytes);
  const integrity = `sha256-${sha256(bytes).digest("base64")}`;
  const wheel = await fetch(new Request(`${base}n%20v.whl`), { integrity });
  assert.equal(wheel.headers.get("Content-Type"), "application/octet-stream");
  await assert.rejects(fetch(`${base}n%20v.whl`, { integrity: `sha256-${sha256("x").digest("base64")}` }), {
    name: "TypeError",
    message: `n v.whl fails its integrity check. ${DOWNLOAD_AGAIN}`,
  });
  await assert.rejects(fetch(`${base}n%20v.whl`, { integrity: "sha384-abc" }), {
    message: 'n v.whl: unsupported integrity "sha384-abc"',
  });
  await assert.rejects(fetch(`${base}other.js`), {
    name: "TypeError",
    message: "other.js is not inlined in this file, so it cannot be loaded",
  });
  assert.deepEqual(passed, []);
  assert.equal(await (await fetch("https://example.org/x")).text(), "from the network");
  assert.deepEqual(passed, ["https://example.org/x"]);
});
