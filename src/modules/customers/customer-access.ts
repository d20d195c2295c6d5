import type { AppAbility } from '../../platform/authz/app-ability';

/**
 * May this ability list every customer of the store? `can('read', 'Customer')` is also true for a
 * customer (they may read themselves), so the list needs the deciding rule to be unconditional:
 * staff roles have one, customers and technicians do not and get 403 instead of a list of one.
 */
export function canListAllCustomers(ability: AppAbility): boolean {
  const rule = ability.relevantRuleFor('read', 'Customer');
  return rule !== null && !rule.inverted && !rule.conditions;
}
