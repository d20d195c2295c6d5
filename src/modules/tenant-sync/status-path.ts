export type YamlStatus = 'pending' | 'active' | 'suspended';

/**
 * The steps `platform.set_tenant_status` must take to bring a store from its database status to
 * the one in its yaml (the function allows pending→active, active↔suspended only). A store cannot
 * go back to pending, and a rejected store is never revived from a file.
 */
export function statusPath(from: string, to: YamlStatus): YamlStatus[] {
  if (from === to) return [];
  if (from === 'pending' && to === 'active') return ['active'];
  if (from === 'pending' && to === 'suspended') return ['active', 'suspended'];
  if (from === 'active' && to === 'suspended') return ['suspended'];
  if (from === 'suspended' && to === 'active') return ['active'];
  throw new Error(`status cannot change from ${from} to ${to}`);
}
