/**
 * A small persistent (immutable) hash map: a hash array mapped trie with 32-way bitmap nodes.
 *
 * `set` and `remove` return a new map that shares every untouched node with the old one, so an
 * update costs O(log32 n) node copies (about 2 small array copies at 1,000 entries) and every old
 * map stays valid. Internal to @mxrtc/state; not exported from the package.
 */

const BITS = 5;
const WIDTH = 1 << BITS;
const MASK = WIDTH - 1;
const MAX_DEPTH = 7; // 7 * 5 = 35 bits > 32-bit hash: deeper keys share a collision bucket

interface Leaf<V> {
  readonly leaf: true;
  readonly hash: number;
  readonly key: string;
  readonly value: V;
}
// Every node has `leaf` first, so `isLeaf` reads one field at the same offset whatever the node.
interface Collision<V> {
  readonly leaf: false;
  readonly collision: true;
  readonly hash: number;
  readonly leaves: readonly Leaf<V>[];
}
interface Branch<V> {
  readonly leaf: false;
  readonly bitmap: number;
  readonly children: readonly Child<V>[];
}
type Child<V> = Leaf<V> | Collision<V> | Branch<V>;

/** FNV-1a over UTF-16 code units; cheap and well spread for ids and state keys. */
export function hashString(key: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < key.length; index++) {
    hash ^= key.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

let lastHashed = "";
let lastHash = hashString("");

/**
 * {@link hashString} that remembers the last string it hashed: slot ids repeat from event to
 * event (most rooms have one call), so their hash is computed once, not per lookup.
 */
export function cachedHash(key: string): number {
  if (key !== lastHashed) {
    lastHash = hashString(key);
    lastHashed = key;
  }
  return lastHash;
}

function popcount(value: number): number {
  let bits = value - ((value >>> 1) & 0x55555555);
  bits = (bits & 0x33333333) + ((bits >>> 2) & 0x33333333);
  return (((bits + (bits >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

function fragment(hash: number, depth: number): number {
  return (hash >>> (depth * BITS)) & MASK;
}

const EMPTY_BRANCH: Branch<never> = { leaf: false, bitmap: 0, children: [] };

function isLeaf<V>(child: Child<V>): child is Leaf<V> {
  return (child as Leaf<V>).leaf === true;
}
function isCollision<V>(child: Child<V>): child is Collision<V> {
  return (child as Collision<V>).collision === true;
}

function merge<V>(first: Leaf<V>, second: Leaf<V>, depth: number): Child<V> {
  if (depth >= MAX_DEPTH || first.hash === second.hash) {
    return { leaf: false, collision: true, hash: first.hash, leaves: [first, second] };
  }
  const a = fragment(first.hash, depth);
  const b = fragment(second.hash, depth);
  if (a === b) {
    return { leaf: false, bitmap: 1 << a, children: [merge(first, second, depth + 1)] };
  }
  return a < b
    ? { leaf: false, bitmap: (1 << a) | (1 << b), children: [first, second] }
    : { leaf: false, bitmap: (1 << a) | (1 << b), children: [second, first] };
}

/** Whether the last {@link setIn} added a key (rather than replacing one): no result object per level. */
let added = false;

function setIn<V>(node: Child<V>, leaf: Leaf<V>, depth: number): Child<V> {
  if (isLeaf(node)) {
    if (node.key === leaf.key) {
      added = false;
      return node.value === leaf.value ? node : leaf;
    }
    added = true;
    return merge(node, leaf, depth);
  }
  if (isCollision(node)) {
    const index = node.leaves.findIndex((existing) => existing.key === leaf.key);
    if (index >= 0) {
      added = false;
      if (node.leaves[index]?.value === leaf.value) return node;
      const leaves = node.leaves.slice();
      leaves[index] = leaf;
      return { leaf: false, collision: true, hash: node.hash, leaves };
    }
    // Only equal hashes (or keys past the maximum depth) ever reach a collision bucket.
    added = true;
    return { leaf: false, collision: true, hash: node.hash, leaves: [...node.leaves, leaf] };
  }
  const bit = 1 << fragment(leaf.hash, depth);
  const position = popcount(node.bitmap & (bit - 1));
  if ((node.bitmap & bit) === 0) {
    const children = node.children.slice();
    children.splice(position, 0, leaf);
    added = true;
    return { leaf: false, bitmap: node.bitmap | bit, children };
  }
  const existing = node.children[position] as Child<V>;
  const replacement = setIn(existing, leaf, depth + 1);
  if (replacement === existing) return node;
  const children = node.children.slice();
  children[position] = replacement;
  return { leaf: false, bitmap: node.bitmap, children };
}

function removeIn<V>(
  node: Child<V>,
  key: string,
  hash: number,
  depth: number,
): Child<V> | undefined {
  // returns: same node = not found; undefined = node emptied; otherwise the replacement
  if (isLeaf(node)) return node.key === key ? undefined : node;
  if (isCollision(node)) {
    const leaves = node.leaves.filter((leaf) => leaf.key !== key);
    if (leaves.length === node.leaves.length) return node;
    if (leaves.length === 1) return leaves[0];
    return { leaf: false, collision: true, hash: node.hash, leaves };
  }
  const bit = 1 << fragment(hash, depth);
  if ((node.bitmap & bit) === 0) return node;
  const position = popcount(node.bitmap & (bit - 1));
  const existing = node.children[position] as Child<V>;
  const replacement = removeIn(existing, key, hash, depth + 1);
  if (replacement === existing) return node;
  const children = node.children.slice();
  if (replacement === undefined) {
    children.splice(position, 1);
    const bitmap = node.bitmap & ~bit;
    if (children.length === 0) return undefined;
    const only = children[0] as Child<V>;
    if (children.length === 1 && !("bitmap" in only)) return only;
    return { leaf: false, bitmap, children };
  }
  children[position] = replacement;
  return { leaf: false, bitmap: node.bitmap, children };
}

/** An immutable string-keyed map with structural sharing. */
export class PersistentMap<V> {
  /** The empty map. */
  static empty<V>(): PersistentMap<V> {
    return new PersistentMap<V>(EMPTY_BRANCH as Branch<V>, 0);
  }

  private constructor(
    private readonly root: Child<V>,
    /** Number of entries. */
    readonly size: number,
  ) {}

  /** The value stored under `key`, if any. Pass `hash` (= `hashString(key)`) when already known. */
  get(key: string, hash: number = hashString(key)): V | undefined {
    let node: Child<V> = this.root;
    let depth = 0;
    for (;;) {
      if (isLeaf(node)) return node.key === key ? node.value : undefined;
      if (isCollision(node)) return node.leaves.find((leaf) => leaf.key === key)?.value;
      const bit = 1 << fragment(hash, depth);
      if ((node.bitmap & bit) === 0) return undefined;
      node = node.children[popcount(node.bitmap & (bit - 1))] as Child<V>;
      depth++;
    }
  }

  /** Whether `key` is present. Pass `hash` (= `hashString(key)`) when already known. */
  has(key: string, hash: number = hashString(key)): boolean {
    return this.get(key, hash) !== undefined;
  }

  /** A map with `key` set to `value`; returns `this` when nothing changes. */
  set(key: string, value: V, hash: number = hashString(key)): PersistentMap<V> {
    const leaf: Leaf<V> = { leaf: true, hash, key, value };
    const root = setIn(this.root, leaf, 0);
    if (root === this.root) return this;
    return new PersistentMap(root, this.size + (added ? 1 : 0));
  }

  /** A map without `key`; returns `this` when it was absent. */
  remove(key: string, hash: number = hashString(key)): PersistentMap<V> {
    const replacement = removeIn(this.root, key, hash, 0);
    if (replacement === this.root) return this;
    return new PersistentMap(replacement ?? (EMPTY_BRANCH as Branch<V>), this.size - 1);
  }

  /** Every value, in hash order (not insertion order). */
  *values(): IterableIterator<V> {
    for (const leaf of leaves(this.root)) yield leaf.value;
  }

  /** Every key, in hash order. */
  *keys(): IterableIterator<string> {
    for (const leaf of leaves(this.root)) yield leaf.key;
  }

  /** Every `[key, value]` pair, in hash order. */
  *entries(): IterableIterator<[string, V]> {
    for (const leaf of leaves(this.root)) yield [leaf.key, leaf.value];
  }
}

function* leaves<V>(node: Child<V>): IterableIterator<Leaf<V>> {
  if (isLeaf(node)) {
    yield node;
    return;
  }
  if (isCollision(node)) {
    yield* node.leaves;
    return;
  }
  for (const child of node.children) yield* leaves(child);
}
