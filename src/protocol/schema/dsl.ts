/**
 * The schema language: every Kafka message is declared once, in TypeScript, with the same facts Apache
 * Kafka's JSON message definitions carry (valid versions, flexible versions, per-field versions,
 * nullable versions, tags, defaults, ignorable). The compiler (./compile.ts) turns a declaration into
 * specialised encode/decode functions per version; the TypeScript type of a message is inferred from
 * its declaration, so there is no second source of type truth.
 *
 * Version ranges are written as Kafka writes them: '0+', '3-7', '5', 'none'.
 *
 * In-memory value types:
 *   int8 int16 int32 uint16 uint32 float64 → number;  int64 → bigint;  bool → boolean
 *   uuid → string, Kafka's URL-safe base64 form without padding (22 chars; zero UUID 'AAAAAAAAAAAAAAAAAAAAAA')
 *   string → string;  bytes → Buffer;  records → Buffer on decode, Buffer | Buffer[] on encode (opaque batches)
 *   array → T[];  struct → object with one property per field (camelCase names)
 * A field declared nullable in any version has `| null` in its type.
 */

export type PrimitiveKind =
  | 'int8'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'uint16'
  | 'uint32'
  | 'float64'
  | 'bool'
  | 'uuid'
  | 'string'
  | 'bytes'
  | 'records';

/** Opaque record-batch bytes: one buffer when decoded; a list of buffers may be encoded without copying. */
export type RecordsValue = Buffer | readonly Buffer[];

/** A wire type. `__value` is a phantom that carries the in-memory type for inference; it is never set. */
export type Type<V> = PrimitiveType<V> | ArrayType<V> | StructType<V>;

export interface PrimitiveType<V> {
  readonly kind: PrimitiveKind;
  readonly __value?: V;
}

export interface ArrayType<V> {
  readonly kind: 'array';
  readonly items: Type<unknown>;
  readonly __value?: V;
}

export interface StructType<V> {
  readonly kind: 'struct';
  /** Kafka's struct name (e.g. 'TopicProduceData'), used in generated code and error messages. */
  readonly name: string;
  readonly fields: readonly AnyField[];
  readonly __value?: V;
}

export interface FieldOptions {
  /** Versions in which the field may be null (Kafka's nullableVersions). */
  readonly nullable?: string;
  /** Tag number: the field is written in the tagged-field section in `taggedVersions`. */
  readonly tag?: number;
  /** Versions in which the field is tagged (Kafka's taggedVersions); required with `tag`. */
  readonly taggedVersions?: string;
  /** Value used when the version does not carry the field (and for tagged fields that are absent). */
  readonly default?: unknown;
  /** Encoding a non-default value into a version that cannot carry it is silently allowed. */
  readonly ignorable?: boolean;
  /** Free text kept for documentation (Kafka's `about`). */
  readonly about?: string;
}

export interface Field<N extends string, V> extends FieldOptions {
  readonly name: N;
  readonly type: Type<V>;
  readonly versions: string;
  readonly __value?: V;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- internal: any field, of any value type
export type AnyField = Field<string, any>;

/** The in-memory value of a field. */
export type FieldValue<F> = F extends Field<string, infer V> ? V : never;

/** The in-memory object of a struct whose fields are F. */
export type StructValue<F extends readonly AnyField[]> = {
  -readonly [P in F[number] as P['name']]: FieldValue<P>;
} & UnknownTagged;

/** Tagged fields this version of Brook does not know, carried through decode → encode unchanged. */
export interface UnknownTagged {
  _unknownTags?: Array<{ tag: number; data: Buffer }>;
}

export type ValueOf<T> = T extends Type<infer V> ? V : never;

function prim<V>(kind: PrimitiveKind): PrimitiveType<V> {
  return { kind };
}

/** Wire types. */
export const T = {
  int8: prim<number>('int8'),
  int16: prim<number>('int16'),
  int32: prim<number>('int32'),
  int64: prim<bigint>('int64'),
  uint16: prim<number>('uint16'),
  uint32: prim<number>('uint32'),
  float64: prim<number>('float64'),
  bool: prim<boolean>('bool'),
  uuid: prim<string>('uuid'),
  string: prim<string>('string'),
  bytes: prim<Buffer>('bytes'),
  records: prim<RecordsValue>('records'),
  array<V>(items: Type<V>): ArrayType<V[]> {
    return { kind: 'array', items };
  },
} as const;

/** A struct type (Kafka's nested `fields`), usually the item type of an array. */
export function struct<const F extends readonly AnyField[]>(name: string, fields: F): StructType<StructValue<F>> {
  return { kind: 'struct', name, fields };
}

/** A field. With `nullable` in the options, the value type includes null. */
export function field<const N extends string, V>(
  name: N,
  type: Type<V>,
  versions: string,
  options: FieldOptions & { readonly nullable: string },
): Field<N, V | null>;
export function field<const N extends string, V>(
  name: N,
  type: Type<V>,
  versions: string,
  options?: FieldOptions,
): Field<N, V>;
export function field<const N extends string, V>(
  name: N,
  type: Type<V>,
  versions: string,
  options: FieldOptions = {},
): Field<N, V> {
  return { ...options, name, type, versions };
}

export type MessageKind = 'request' | 'response' | 'header' | 'data';

export interface MessageSpec<V = unknown> {
  /** Kafka's message name, e.g. 'ProduceRequest'. */
  readonly name: string;
  readonly kind: MessageKind;
  /** API key for requests and responses; -1 for headers and data. */
  readonly apiKey: number;
  /** Every version Brook speaks, from 0 to the highest Apache Kafka 4.x accepts, e.g. '0-13'. */
  readonly validVersions: string;
  /** Versions using compact types and tagged fields, e.g. '9+' or 'none'. */
  readonly flexibleVersions: string;
  readonly fields: readonly AnyField[];
  readonly __value?: V;
}

/** Declares a message; its value type is `MessageValue<typeof X>`. */
export function message<const F extends readonly AnyField[]>(spec: {
  readonly name: string;
  readonly kind: MessageKind;
  readonly apiKey: number;
  readonly validVersions: string;
  readonly flexibleVersions: string;
  readonly fields: F;
}): MessageSpec<StructValue<F>> {
  return spec;
}

export type MessageValue<M> = M extends MessageSpec<infer V> ? V : never;

/** One API key: its request and response, declared together in src/protocol/messages/NN-name.ts. */
export interface ApiSpec<Req = unknown, Res = unknown> {
  readonly key: number;
  /** Kafka's API name, e.g. 'Produce'. */
  readonly name: string;
  readonly request: MessageSpec<Req>;
  readonly response: MessageSpec<Res>;
}

export function defineApi<Req, Res>(api: {
  readonly key: number;
  readonly name: string;
  readonly request: MessageSpec<Req>;
  readonly response: MessageSpec<Res>;
}): ApiSpec<Req, Res> {
  return api;
}
