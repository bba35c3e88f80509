// JavaScript that runs inside each QuickJS context before any merchant code. It hardens the
// realm (removes dynamic code and non-determinism, freezes every intrinsic and the global
// object) and returns the runner the host calls once per evaluation. Nothing here is a host
// function: the three routing calls are plain sandbox closures, created fresh per evaluation,
// and the result leaves the sandbox as one JSON string that the host validates again.

/** Limits on what a script may hand back (bounded output, whatever the script does). */
export const MAX_GATEWAYS = 64;
export const MAX_GATEWAY_NAME_CHARS = 128;
export const MAX_REFERENCE_IDS = 64;
export const MAX_REFERENCE_ID_CHARS = 256;

/** The names merchant code sees, in the order the runner passes them. */
export const MERCHANT_BINDINGS = ['order', 'txn', 'payment', 'currentTimeMillis', 'setGatewayPriority', 'enforceGatewayPriority', 'setGatewayReferenceIds'] as const;

/**
 * Wraps the merchant's source so it compiles once into a single strict function whose parameters
 * are the inputs and the three calls (fresh values on every call, so rebinding one inside a script
 * affects only that evaluation). The source starts on line 2, which the evaluator subtracts from
 * error positions. `return` at top level is allowed (an early exit).
 */
export function wrapMerchantSource(source: string): string {
  return `(function (${MERCHANT_BINDINGS.join(', ')}) { 'use strict';\n${source}\n})`;
}

/** Line offset of merchant source inside the wrapper. */
export const WRAPPER_LINE_OFFSET = 1;

/**
 * Evaluated as global code in a fresh context. Returns `[run, sourceOf]`:
 * - `run(program, inputJson)` → JSON string of `{k:'ok', gateways, enforced, refs}`,
 *   `{k:'none'}`, `{k:'parse', message}` or `{k:'throw', name, message, line, column}`.
 *   Uncatchable errors (the deadline interrupt) propagate to the host.
 * - `sourceOf(fn)` → the function's source text (to prove the wrapper was not broken out of).
 */
export const PRELUDE_SOURCE = String.raw`(function () {
  'use strict';
  const g = globalThis;
  const O = Object;
  const freeze = O.freeze, getPrototypeOf = O.getPrototypeOf, defineProperty = O.defineProperty;
  const getOwnPropertyDescriptor = O.getOwnPropertyDescriptor, create = O.create, keys = O.keys;
  const ownKeys = Reflect.ownKeys, apply = Reflect.apply;
  const isArray = Array.isArray;
  const parse = JSON.parse, stringify = JSON.stringify;
  const imul = Math.imul;
  const fnToString = Function.prototype.toString;
  const stringOf = String;
  const ErrorCtor = Error;
  const MAX_GATEWAYS = ${MAX_GATEWAYS}, MAX_NAME = ${MAX_GATEWAY_NAME_CHARS};
  const MAX_REFS = ${MAX_REFERENCE_IDS}, MAX_REF = ${MAX_REFERENCE_ID_CHARS};

  // Deterministic Math.random: reseeded from currentTimeMillis at each evaluation, so an
  // evaluation is a pure function of its input (replays and dry runs give the same answer)
  // and no generator state carries over from one evaluation to the next.
  let seed = 0;
  function random() {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = imul(t ^ (t >>> 15), t | 1);
    t ^= t + imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  defineProperty(Math, 'random', { value: random, writable: false, enumerable: false, configurable: false });

  // No dynamic code: the program is compiled once; eval/Function would re-parse per call.
  const noDynamicCode = function () { throw new EvalError('dynamic code evaluation is disabled'); };
  delete g.eval;
  const fnProtos = [Function.prototype, getPrototypeOf(function* () {}), getPrototypeOf(async function () {}), getPrototypeOf(async function* () {})];
  for (let i = 0; i < fnProtos.length; i++) {
    defineProperty(fnProtos[i], 'constructor', { value: noDynamicCode, writable: false, enumerable: false, configurable: false });
  }
  defineProperty(g, 'Function', { value: noDynamicCode, writable: false, enumerable: false, configurable: false });
  defineProperty(noDynamicCode, 'prototype', { value: Function.prototype, writable: false, enumerable: false, configurable: false });
  // Not needed for routing, and the only ways to observe the garbage collector or share memory.
  delete g.WeakRef;
  delete g.FinalizationRegistry;
  delete g.SharedArrayBuffer;
  delete g.Atomics;

  // Freeze everything reachable from the global object, plus intrinsics only reachable through
  // instances (iterator, generator and helper prototypes), so that prototype pollution fails.
  const roots = [g, fnProtos[1], fnProtos[2], fnProtos[3],
    getPrototypeOf([][Symbol.iterator]()), getPrototypeOf(new Map()[Symbol.iterator]()),
    getPrototypeOf(new Set()[Symbol.iterator]()), getPrototypeOf(''[Symbol.iterator]()),
    getPrototypeOf(/x/[Symbol.matchAll]('x')), getPrototypeOf((function () { return arguments; })()),
    getPrototypeOf((function* () {})()), getPrototypeOf([].values().map(function (x) { return x; })),
    getPrototypeOf(Iterator.from({ next: function () { return { done: true }; } }))];
  const seen = new WeakSet();
  const stack = roots.slice();
  while (stack.length > 0) {
    const o = stack.pop();
    if (o === null || (typeof o !== 'object' && typeof o !== 'function') || seen.has(o)) continue;
    seen.add(o);
    freeze(o);
    stack.push(getPrototypeOf(o));
    const ks = ownKeys(o);
    for (let i = 0; i < ks.length; i++) {
      const d = getOwnPropertyDescriptor(o, ks[i]);
      if (d === undefined) continue;
      if ('value' in d) stack.push(d.value); else { stack.push(d.get); stack.push(d.set); }
    }
  }

  function deepFreeze(root) {
    const pending = [root];
    while (pending.length > 0) {
      const o = pending.pop();
      if (o === null || typeof o !== 'object') continue;
      freeze(o);
      const ks = keys(o);
      for (let i = 0; i < ks.length; i++) pending.push(o[ks[i]]);
    }
    return root;
  }

  function clip(s, n) { return s.length > n ? s.slice(0, n) + '...' : s; }

  function run(program, inputJson) {
    const input = deepFreeze(parse(inputJson));
    seed = (input.currentTimeMillis % 4294967296) | 0;
    let gateways = null, enforced = false, failure = null;
    const refs = create(null);
    let refCount = 0;

    // Arrow functions and methods only: a plain function expression gets a prototype object that
    // points back at it, a cycle that only QuickJS's periodic cycle collector can free.
    const fail = (message) => { if (failure === null) failure = message; };
    const readGateways = (list, callName) => {
      if (!isArray(list)) { fail(callName + ' expects an array of gateway names'); return null; }
      const n = list.length;
      if (n === 0) { fail(callName + ' was given an empty list'); return null; }
      if (n > MAX_GATEWAYS) { fail(callName + ' was given more than ' + MAX_GATEWAYS + ' gateways'); return null; }
      const out = [];
      for (let i = 0; i < n; i++) {
        const name = list[i];
        if (typeof name !== 'string' || name.length === 0 || name.length > MAX_NAME) {
          fail(callName + ': element ' + i + ' is not a gateway name (a non-empty string)');
          return null;
        }
        out.push(name);
      }
      return out;
    };
    const api = freeze({
      setGatewayPriority(list) {
        const out = readGateways(list, 'setGatewayPriority');
        if (out !== null) { gateways = out; enforced = false; }
      },
      enforceGatewayPriority(list) {
        const out = readGateways(list, 'enforceGatewayPriority');
        if (out !== null) { gateways = out; enforced = true; }
      },
      setGatewayReferenceIds(map) {
        if (map === null || typeof map !== 'object' || isArray(map)) { fail('setGatewayReferenceIds expects an object {GATEWAY: referenceId}'); return; }
        const ks = keys(map);
        for (let i = 0; i < ks.length; i++) {
          const k = ks[i];
          let v = map[k];
          if (typeof v === 'number' && v === v && v !== Infinity && v !== -Infinity) v = stringOf(v);
          if (k.length === 0 || k.length > MAX_NAME || typeof v !== 'string' || v.length === 0 || v.length > MAX_REF) {
            fail('setGatewayReferenceIds: entry ' + clip(stringOf(k), 40) + ' is not {gateway name: non-empty reference id}');
            return;
          }
          if (!(k in refs)) { refCount++; if (refCount > MAX_REFS) { fail('setGatewayReferenceIds: more than ' + MAX_REFS + ' gateways'); return; } }
          refs[k] = v;
        }
      },
    });
    freeze(api.setGatewayPriority);
    freeze(api.enforceGatewayPriority);
    freeze(api.setGatewayReferenceIds);

    try {
      program(input.order, input.txn, input.payment, input.currentTimeMillis,
        api.setGatewayPriority, api.enforceGatewayPriority, api.setGatewayReferenceIds);
    } catch (e) {
      let name = 'Error', message = '', line = -1, column = -1;
      try {
        if (e instanceof ErrorCtor) {
          name = stringOf(e.name);
          message = stringOf(e.message);
          const st = typeof e.stack === 'string' ? e.stack : '';
          const m = /merchant\.js:(\d+):(\d+)/.exec(st);
          if (m !== null) { line = +m[1]; column = +m[2]; }
        } else {
          name = 'Thrown value';
          message = stringOf(e);
        }
      } catch (e2) {
        message = '(the thrown value could not be described)';
      }
      return stringify({ k: 'throw', name: clip(name, 100), message: clip(message, 500), line: line, column: column });
    }
    if (failure !== null) return stringify({ k: 'parse', message: failure });
    if (gateways === null) return stringify({ k: 'none' });
    return stringify({ k: 'ok', gateways: gateways, enforced: enforced, refs: refs });
  }

  function sourceOf(fn) { return typeof fn === 'function' ? apply(fnToString, fn, []) : ''; }

  return [run, sourceOf];
})()`;
