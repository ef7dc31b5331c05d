/**
 * solc's WebAssembly build (the npm package `solc`'s soljson.js), with one change: the standard-JSON
 * input of `solidity_compile` is copied to the heap instead of the stack.
 *
 * Why: Hardhat's solc-js wrapper calls `cwrap("solidity_compile", "string", [...])`, and emscripten's
 * `cwrap` copies a string argument onto the WebAssembly stack, reserving 4 bytes per character. That
 * stack is 5 MiB in this build, so an input of about 1.3 million characters fills it and the compiler
 * then overruns it: "memory access out of bounds", "null function or function signature mismatch"
 * (Hardhat's HHE908), at a size threshold, in whichever job crosses it first. Coverage-instrumented
 * sources are larger, so the whole-project coverage build crossed it. With the input on the heap (4 GiB)
 * the whole stack is left to the compiler. Everything else is soljson.js unchanged (same binary, same
 * version string), and the other functions keep emscripten's own `cwrap`.
 *
 * hardhat.config.ts points every build profile's `solidity.path` here. See docs/toolchain.md.
 */
"use strict";

const soljson = require("solc/soljson.js");

const stackCwrap = soljson.cwrap;

/** `solidity_compile(input, readCallback, context)` with `input` allocated by solc's own allocator. */
function compileFromHeap(input, readCallback, context) {
  const size = soljson.lengthBytesUTF8(input) + 1;
  const pointer = soljson._solidity_alloc(size);
  try {
    soljson.stringToUTF8(input, pointer, size);
    const output = soljson._solidity_compile(pointer, readCallback ?? 0, context ?? 0);
    return soljson.UTF8ToString(output);
  } finally {
    soljson._solidity_free(pointer);
  }
}

soljson.cwrap = function cwrap(ident, returnType, argTypes, opts) {
  if (ident === "solidity_compile" && returnType === "string" && argTypes?.length === 3) return compileFromHeap;
  return stackCwrap(ident, returnType, argTypes, opts);
};

module.exports = soljson;
