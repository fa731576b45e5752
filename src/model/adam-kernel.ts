// Adam's element-wise update as a WebAssembly SIMD function (4 float32 lanes), assembled below
// instruction by instruction so that it can be read and checked. ~1 ms for CTGAN's ~1M weights
// per step, against ~10 ms for the same loop in JavaScript (float64, one value at a time).

/** Offsets (in bytes, multiples of 16) and constants of one update call. */
export interface AdamKernelCall {
  values: number;
  gradients: number;
  first: number;
  second: number;
  /** Number of float32 values, a multiple of 4. */
  count: number;
  beta1: number;
  beta2: number;
  weightDecay: number;
  /** lr / (1 - beta1^t). */
  stepSize: number;
  /** 1 / sqrt(1 - beta2^t). */
  inverseCorrection2: number;
  epsilon: number;
}

/** The instantiated kernel over a memory of its own. */
export interface AdamKernel {
  /** The memory the offsets refer to; it never grows. */
  memory: { buffer: ArrayBuffer };
  /**
   * One Adam update of `count` values:
   *   g = gradient + decay p;  m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2;
   *   p = p - stepSize m / (sqrt(v) inverseCorrection2 + eps)
   * With store false it only checks: true when every new p and v would be finite. With store
   * true it writes p, m and v in place and returns the same check.
   */
  update(call: AdamKernelCall, store: boolean): boolean;
}

/** Node's WebAssembly API, typed here (this project's `lib` has no WebAssembly types). */
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number; maximum: number }) => { buffer: ArrayBuffer };
}

const webAssembly = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;

/** Bytes in a WebAssembly page. */
const PAGE = 65536;
/** The largest finite float32: |x| <= this is false for NaN and for infinities. */
const FLOAT32_MAX = 3.4028234663852886e38;

let compiled: object | null = null;

/**
 * Instantiates the kernel with a memory of at least `bytes` bytes.
 * @param bytes memory the caller will lay its arrays out in
 */
export function createAdamKernel(bytes: number): AdamKernel {
  compiled ??= new webAssembly.Module(moduleBytes());
  const pages = Math.max(1, Math.ceil(bytes / PAGE));
  const memory = new webAssembly.Memory({ initial: pages, maximum: pages });
  const instance = new webAssembly.Instance(compiled, { env: { memory } });
  const adam = instance.exports['adam'] as (...args: number[]) => number;
  return {
    memory,
    update(call, store) {
      const finite = adam(
        call.values,
        call.gradients,
        call.first,
        call.second,
        call.count * 4,
        call.beta1,
        call.beta2,
        call.weightDecay,
        call.stepSize,
        call.inverseCorrection2,
        call.epsilon,
        FLOAT32_MAX,
        store ? 1 : 0,
      );
      return finite === 1;
    },
  };
}

// --- The binary. Opcodes from the WebAssembly 2.0 specification (core and SIMD). ---

const I32 = 0x7f;
const F32 = 0x7d;
const V128 = 0x7b;

/** Parameters of `adam`, in order; their local indices follow. */
const PARAMETERS = [
  ['values', I32],
  ['gradients', I32],
  ['first', I32],
  ['second', I32],
  ['byteCount', I32],
  ['beta1', F32],
  ['beta2', F32],
  ['decay', F32],
  ['stepSize', F32],
  ['inverseCorrection2', F32],
  ['epsilon', F32],
  ['maximum', F32],
  ['store', I32],
] as const;
/** Extra locals: the byte offset, the splatted constants, the loop's vectors, the check. */
const LOCALS = [
  ['offset', I32],
  ['beta1x4', V128],
  ['keep1x4', V128],
  ['beta2x4', V128],
  ['keep2x4', V128],
  ['decayx4', V128],
  ['stepx4', V128],
  ['correctionx4', V128],
  ['epsilonx4', V128],
  ['maximumx4', V128],
  ['gradient', V128],
  ['value', V128],
  ['m', V128],
  ['v', V128],
  ['next', V128],
  ['ok', V128],
] as const;
type LocalName = (typeof PARAMETERS)[number][0] | (typeof LOCALS)[number][0];
const LOCAL_INDEX = new Map<LocalName, number>(
  [...PARAMETERS, ...LOCALS].map(([name], index) => [name, index]),
);

const get = (name: LocalName): number[] => [0x20, LOCAL_INDEX.get(name)!];
const set = (name: LocalName): number[] => [0x21, LOCAL_INDEX.get(name)!];
const simd = (opcode: number): number[] => [0xfd, ...unsignedLeb(opcode)];
const f32Const = (value: number): number[] => [
  0x43,
  ...new Uint8Array(Float32Array.of(value).buffer),
];
/** v128.load / v128.store at (base + offset), alignment 2^4, no static offset. */
const address = (base: LocalName): number[] => [...get(base), ...get('offset'), 0x6a];
const load = (base: LocalName): number[] => [...address(base), ...simd(0), 4, 0];
const F32X4 = {
  splat: 0x13,
  abs: 0xe0,
  sqrt: 0xe3,
  add: 0xe4,
  sub: 0xe5,
  mul: 0xe6,
  div: 0xe7,
  le: 0x45,
};
const V128_AND = 0x4e;
const I32X4_ALL_TRUE = 0xa3;

/** f32x4 of a scalar f32 local, or of 1 - that local. */
function splat(name: LocalName, target: LocalName, complement = false): number[] {
  const scalar = complement ? [...f32Const(1), ...get(name), 0x93] : get(name); // f32.sub
  return [...scalar, ...simd(F32X4.splat), ...set(target)];
}

/** The body of `adam`. */
function body(): number[] {
  const f = (opcode: number): number[] => simd(opcode);
  const loop = [
    ...load('gradients'), ...set('gradient'),
    ...load('values'), ...set('value'),
    // g = gradient + decay * p
    ...get('gradient'), ...get('value'), ...get('decayx4'), ...f(F32X4.mul), ...f(F32X4.add),
    ...set('gradient'),
    // m = beta1 * m + (1 - beta1) * g
    ...load('first'), ...get('beta1x4'), ...f(F32X4.mul),
    ...get('gradient'), ...get('keep1x4'), ...f(F32X4.mul), ...f(F32X4.add), ...set('m'),
    // v = beta2 * v + (1 - beta2) * g * g
    ...load('second'), ...get('beta2x4'), ...f(F32X4.mul),
    ...get('gradient'), ...get('gradient'), ...f(F32X4.mul), ...get('keep2x4'), ...f(F32X4.mul),
    ...f(F32X4.add), ...set('v'),
    // next = p - stepSize * m / (sqrt(v) * inverseCorrection2 + epsilon)
    ...get('value'),
    ...get('m'), ...get('stepx4'), ...f(F32X4.mul),
    ...get('v'), ...f(F32X4.sqrt), ...get('correctionx4'), ...f(F32X4.mul), ...get('epsilonx4'),
    ...f(F32X4.add), ...f(F32X4.div), ...f(F32X4.sub), ...set('next'),
    // ok &= |next| <= max & v <= max (both false for NaN)
    ...get('ok'),
    ...get('next'), ...f(F32X4.abs), ...get('maximumx4'), ...f(F32X4.le), ...f(V128_AND),
    ...get('v'), ...get('maximumx4'), ...f(F32X4.le), ...f(V128_AND), ...set('ok'),
    // if (store) { p = next; m = m; v = v }
    ...get('store'), 0x04, 0x40,
    ...address('values'), ...get('next'), ...simd(0x0b), 4, 0,
    ...address('first'), ...get('m'), ...simd(0x0b), 4, 0,
    ...address('second'), ...get('v'), ...simd(0x0b), 4, 0,
    0x0b,
    // offset += 16; continue while offset < byteCount
    ...get('offset'), 0x41, 16, 0x6a, ...set('offset'),
    ...get('offset'), ...get('byteCount'), 0x49, 0x0d, 0, // i32.lt_u, br_if 0 (the loop)
  ]; // prettier-ignore
  return [
    ...splat('beta1', 'beta1x4'),
    ...splat('beta1', 'keep1x4', true),
    ...splat('beta2', 'beta2x4'),
    ...splat('beta2', 'keep2x4', true),
    ...splat('decay', 'decayx4'),
    ...splat('stepSize', 'stepx4'),
    ...splat('inverseCorrection2', 'correctionx4'),
    ...splat('epsilon', 'epsilonx4'),
    ...splat('maximum', 'maximumx4'),
    // ok = all lanes true (i32x4.splat(-1))
    0x41, 0x7f, ...simd(0x11), ...set('ok'),
    // if (byteCount > 0) loop { ... }
    ...get('byteCount'), 0x04, 0x40, 0x03, 0x40, ...loop, 0x0b, 0x0b,
    ...get('ok'), ...simd(I32X4_ALL_TRUE),
    0x0b,
  ]; // prettier-ignore
}

/** The module: imports env.memory, exports adam(...) -> i32. */
function moduleBytes(): Uint8Array {
  const functionType = [0x60, ...vector(PARAMETERS.map(([, type]) => [type])), ...vector([[I32]])];
  const localGroups = LOCALS.map(([, type]) => [1, type]);
  const code = [...vector(localGroups), ...body()];
  const name = (text: string): number[] => vector([...text].map((c) => [c.charCodeAt(0)]));
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version 1
    ...section(1, vector([functionType])), // types
    // import env.memory (kind 2), limits: no maximum (0), at least 1 page
    ...section(2, vector([[...name('env'), ...name('memory'), 0x02, 0x00, 0x01]])),
    ...section(3, vector([[0]])), // function 0 has type 0
    ...section(7, vector([[...name('adam'), 0x00, 0x00]])), // export function 0
    ...section(10, vector([[...unsignedLeb(code.length), ...code]])), // code
  ]); // prettier-ignore
}

function section(id: number, contents: number[]): number[] {
  return [id, ...unsignedLeb(contents.length), ...contents];
}

/** A WebAssembly vector: its length, then its items. */
function vector(items: number[][]): number[] {
  return [...unsignedLeb(items.length), ...items.flat()];
}

function unsignedLeb(value: number): number[] {
  const bytes: number[] = [];
  let rest = value >>> 0;
  do {
    const byte = rest & 0x7f;
    rest >>>= 7;
    bytes.push(rest === 0 ? byte : byte | 0x80);
  } while (rest !== 0);
  return bytes;
}
