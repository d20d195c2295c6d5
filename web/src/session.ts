import { ref } from 'vue';
import { base } from './store-base';

export type Role = 'customer' | 'technician';

export interface StoredTokens {
  accessToken: string;
  refreshToken: string;
  principalId: string;
  phoneMasked?: string;
}

// Tokens are per store and per role: a customer of store A is nobody at store B.
const key = (role: Role) => `massage:${base.slug ?? location.host}:${role}`;

function read(role: Role): StoredTokens | null {
  try {
    const raw = localStorage.getItem(key(role));
    return raw ? (JSON.parse(raw) as StoredTokens) : null;
  } catch {
    return null;
  }
}

const customer = ref<StoredTokens | null>(read('customer'));
const technician = ref<StoredTokens | null>(read('technician'));

/** The signed-in principals of this store (a phone may be both a customer and a technician). */
export const session = {
  /** Which token plain API calls use: the technician pages switch it to 'technician'. */
  role: ref<Role | null>(null),
  customer,
  technician,
  tokens(role: Role): StoredTokens | null {
    return role === 'customer' ? customer.value : technician.value;
  },
  store(role: Role, t: StoredTokens): void {
    localStorage.setItem(key(role), JSON.stringify(t));
    (role === 'customer' ? customer : technician).value = t;
  },
  signOut(role: Role): void {
    localStorage.removeItem(key(role));
    (role === 'customer' ? customer : technician).value = null;
  },
};
