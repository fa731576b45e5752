// Selecting rows of record batches whose columns have tabsynth's canonical types (Int32,
// Float64, Utf8, Bool, TimestampMillisecond, DateDay), by copying buffers directly.
import * as arrow from 'apache-arrow';

import { packValidity } from './arrow-build.ts';

/**
 * Validity of each row of one Data chunk as bytes (1 valid, 0 null).
 * @param data an Arrow Data chunk
 * @returns the mask, or null when the chunk has no nulls
 */
export function validityOf(data: arrow.Data): Uint8Array | null {
  if (data.nullCount === 0) return null;
  const bitmap = data.nullBitmap;
  const valid = new Uint8Array(data.length);
  if (!bitmap || bitmap.length === 0) {
    // Types without a bitmap (Null) are null in every row.
    return valid;
  }
  const offset = data.offset;
  for (let i = 0; i < data.length; i++) {
    const bit = offset + i;
    valid[i] = (bitmap[bit >> 3]! >> (bit & 7)) & 1;
  }
  return valid;
}

/**
 * The rows `indices` (ascending or not) of a record batch, as a new batch with the same
 * schema.
 * @param batch a batch whose columns have canonical types and one Data chunk each
 * @param indices row numbers to keep, in output order
 * @returns the new batch
 * @throws Error for a column type outside the canonical ones (an internal error)
 */
export function takeRows(batch: arrow.RecordBatch, indices: Uint32Array): arrow.RecordBatch {
  const children = batch.schema.fields.map((_, c) =>
    takeData(batch.getChildAt(c)!.data[0]!, indices),
  );
  const data = arrow.makeData({
    type: new arrow.Struct(batch.schema.fields),
    length: indices.length,
    nullCount: 0,
    children,
  });
  return new arrow.RecordBatch(batch.schema, data);
}

function takeData(data: arrow.Data, indices: Uint32Array): arrow.Data {
  const source = validityOf(data);
  let valid: Uint8Array | null = null;
  if (source !== null) {
    valid = new Uint8Array(indices.length);
    for (let i = 0; i < indices.length; i++) valid[i] = source[indices[i]!]!;
  }
  const { bitmap, nullCount } = packValidity(valid, indices.length);
  const common = { length: indices.length, nullCount, nullBitmap: bitmap };
  const type = data.type as arrow.DataType;

  if (arrow.DataType.isUtf8(type)) {
    const offsets = data.valueOffsets as Int32Array;
    const bytes = data.values as Uint8Array;
    const newOffsets = new Int32Array(indices.length + 1);
    let total = 0;
    for (let i = 0; i < indices.length; i++) {
      const row = indices[i]!;
      total += offsets[row + 1]! - offsets[row]!;
      newOffsets[i + 1] = total;
    }
    const newBytes = new Uint8Array(total);
    for (let i = 0; i < indices.length; i++) {
      const row = indices[i]!;
      newBytes.set(bytes.subarray(offsets[row]!, offsets[row + 1]!), newOffsets[i]!);
    }
    return arrow.makeData({ type, ...common, valueOffsets: newOffsets, data: newBytes });
  }
  if (arrow.DataType.isBool(type)) {
    const bits = data.values as Uint8Array;
    const out = new Uint8Array(Math.ceil(indices.length / 8));
    for (let i = 0; i < indices.length; i++) {
      const bit = data.offset + indices[i]!;
      if ((bits[bit >> 3]! >> (bit & 7)) & 1) out[i >> 3]! |= 1 << (i & 7);
    }
    return arrow.makeData({ type, ...common, data: out });
  }
  const values = data.values as Int32Array | Float64Array | BigInt64Array;
  if (!(
    arrow.DataType.isInt(type) ||
    arrow.DataType.isFloat(type) ||
    arrow.DataType.isTimestamp(type) ||
    arrow.DataType.isDate(type)
  )) {
    throw new Error(`takeRows: type ${String(type)} is not one of tabsynth's column types`);
  }
  const out = new (values.constructor as { new (length: number): typeof values })(indices.length);
  for (let i = 0; i < indices.length; i++) out[i] = values[indices[i]!]!;
  return new arrow.Data(type, 0, indices.length, nullCount, {
    [arrow.BufferType.DATA]: out,
    [arrow.BufferType.VALIDITY]: bitmap ?? new Uint8Array(0),
  });
}
