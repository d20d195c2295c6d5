import { getMetadataStorage } from 'class-validator';

type Storage = ReturnType<typeof getMetadataStorage>;
type Lookup = Storage['getTargetValidationMetadatas'];
type Metadata = ReturnType<Lookup>;

const memoized = new WeakSet<Storage>();

/**
 * class-validator recomputes a DTO's rules on every validation: it filters the class's own
 * metadata and walks every decorated class in the process (`instanceof` against each) for
 * inherited rules, then regroups them by property. The rules only change when a decorator
 * registers one (at class definition), so both answers are memoized here and the memo is dropped
 * whenever a rule is added. The executor only reads what it gets back. Idempotent per storage.
 */
export function memoizeValidationMetadata(storage: Storage = getMetadataStorage()): void {
  if (memoized.has(storage)) return;
  memoized.add(storage);
  const lookup = storage.getTargetValidationMetadatas.bind(storage);
  const group = storage.groupByPropertyName.bind(storage);
  const add = storage.addValidationMetadata.bind(storage);
  let byTarget = new Map<unknown, Map<string, Metadata>>();
  let grouped = new WeakMap<Metadata, ReturnType<Storage['groupByPropertyName']>>();

  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    const key = `${schema}\u0000${always}\u0000${strictGroups}\u0000${groups?.join('\u0001') ?? ''}`;
    let forTarget = byTarget.get(target);
    if (!forTarget) byTarget.set(target, (forTarget = new Map()));
    let rules = forTarget.get(key);
    if (!rules) forTarget.set(key, (rules = lookup(target, schema, always, strictGroups, groups)));
    return rules;
  };
  storage.groupByPropertyName = (metadata) => {
    let byProperty = grouped.get(metadata);
    if (!byProperty) grouped.set(metadata, (byProperty = group(metadata)));
    return byProperty;
  };
  storage.addValidationMetadata = (metadata) => {
    byTarget = new Map();
    grouped = new WeakMap();
    add(metadata);
  };
}
