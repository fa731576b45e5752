// Codes for the distinct byte strings of a UTF-8 column, found by hashing the bytes in place:
// no JavaScript string per row, so encoding a million-row text column takes milliseconds.

const EMPTY = -1;

/** Assigns codes 0, 1, 2, ... to distinct byte strings, in order of first appearance. */
export class ByteKeyIndex {
  private slots = new Int32Array(64).fill(EMPTY);
  private readonly hashes: number[] = [];
  private readonly keys: Uint8Array[] = [];

  /** Number of distinct byte strings seen. */
  get size(): number {
    return this.keys.length;
  }

  /** The bytes of the string with code `code`. */
  bytesOf(code: number): Uint8Array {
    return this.keys[code]!;
  }

  /**
   * The code of bytes[start, end), adding it when new.
   * @param bytes a buffer holding the string
   * @param start first byte
   * @param end one past the last byte
   */
  codeOf(bytes: Uint8Array, start: number, end: number): number {
    // FNV-1a over the bytes.
    let hash = 0x811c9dc5;
    for (let index = start; index < end; index++) {
      hash = Math.imul(hash ^ bytes[index]!, 0x01000193);
    }
    const mask = this.slots.length - 1;
    let slot = hash & mask;
    for (;;) {
      const code = this.slots[slot]!;
      if (code === EMPTY) break;
      if (this.hashes[code] === hash && sameBytes(this.keys[code]!, bytes, start, end)) return code;
      slot = (slot + 1) & mask;
    }
    const code = this.keys.length;
    this.keys.push(bytes.slice(start, end));
    this.hashes.push(hash);
    this.slots[slot] = code;
    // Keep the table at most half full so that probes stay short.
    if (this.keys.length * 2 > this.slots.length) this.grow();
    return code;
  }

  private grow(): void {
    const slots = new Int32Array(this.slots.length * 2).fill(EMPTY);
    const mask = slots.length - 1;
    for (let code = 0; code < this.keys.length; code++) {
      let slot = this.hashes[code]! & mask;
      while (slots[slot] !== EMPTY) slot = (slot + 1) & mask;
      slots[slot] = code;
    }
    this.slots = slots;
  }
}

function sameBytes(key: Uint8Array, bytes: Uint8Array, start: number, end: number): boolean {
  if (key.length !== end - start) return false;
  for (let index = 0; index < key.length; index++) {
    if (key[index] !== bytes[start + index]) return false;
  }
  return true;
}
