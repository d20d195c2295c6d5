/** The slices of the API's responses the pages use (see /api/docs for the full shapes). */
export interface StorePage {
  slug: string;
  name: string;
  displayName: string;
  logoUrl: string | null;
  themeColor: string | null;
  city: string | null;
  timezone: string;
  address: string | null;
  phoneMasked: string | null;
  introduction: string | null;
  status: string;
  closed: boolean;
  notice?: { 'zh-CN': string; en: string };
}

export interface Duration {
  minutes: number;
  priceFen: number;
}

export interface Addon {
  id: string;
  kind: string;
  nameZh: string;
  nameEn: string | null;
  minutes: number | null;
  priceFen: number;
  maxQuantity: number;
}

export interface Service {
  id: string;
  nameZh: string;
  nameEn: string | null;
  description: string | null;
  images: string[];
  requiredSkills: string[];
  durations: Duration[];
  addons: Addon[];
  category?: { id: string; nameZh: string; nameEn: string | null };
}

export interface Category {
  id: string;
  nameZh: string;
  nameEn: string | null;
  icon: string | null;
  services: Service[];
}

export interface Catalog {
  categories: Category[];
}

export interface PublicTechnician {
  id: string;
  displayName: string;
  gender: 'female' | 'male';
  photoUrl: string | null;
  tierName: string | null;
  ratingAvg: number | null;
  ratingCount: number;
  skills: string[];
  experienceYears: number | null;
  introduction: string | null;
}

export interface Slot {
  start: string;
  end: string;
  localDate: string;
  localTime: string;
  technicianIds: string[];
}

export interface Address {
  id: string;
  contactName: string;
  phoneMasked: string;
  lat: number;
  lng: number;
  addressText: string;
  houseNumber: string;
  kind: 'home' | 'hotel';
  isDefault: boolean;
}

export interface QuoteLine {
  kind: string;
  code: string;
  label: string;
  quantity: number;
  unitFen: number;
  amountFen: number;
}

export interface Quote {
  id: string;
  serviceName: string;
  durationMinutes: number;
  startAt: string;
  endAt: string;
  lines: QuoteLine[];
  totalFen: number;
  expiresAt: string;
}

export type OrderStatus =
  | 'pending_payment'
  | 'paid'
  | 'dispatching'
  | 'assigned'
  | 'accepted'
  | 'departed'
  | 'arrived'
  | 'in_service'
  | 'completed'
  | 'reviewed'
  | 'cancelled'
  | 'refunded'
  | 'partially_refunded';

export interface OrderEvent {
  event: string;
  fromStatus: string;
  toStatus: string;
  actorType: string;
  reason: string | null;
  createdAt: string;
}

export interface Order {
  id: string;
  orderNo: string;
  status: OrderStatus;
  paymentMethod: string;
  serviceName: string;
  durationMinutes: number;
  technicianId: string | null;
  startAt: string;
  endAt: string;
  lines: QuoteLine[];
  totalFen: number;
  paidFen: number;
  refundedFen: number;
  address?: { contactName: string; phoneMasked: string; addressText: string; houseNumber: string };
  events?: OrderEvent[];
  createdAt: string;
}

/** A way to pay the store offers now (GET /api/payment-methods); balance carries the customer's balance. */
export interface PaymentMethod {
  method: 'wechat' | 'alipay' | 'balance' | 'on_arrival' | 'sandbox';
  balanceFen?: number;
}

export interface PayResult {
  payment: { id: string; outTradeNo: string; status: string; amountFen: number; provider: string };
  next: { kind: string; url?: string };
}

export interface Principal {
  id: string;
  role: string;
  phoneMasked?: string;
  status?: string;
}

export interface TechnicianMe {
  id: string;
  status: 'applicant' | 'pending_review' | 'approved' | 'rejected' | 'disabled';
  name: string | null;
  displayName: string | null;
  online: boolean;
  rejectionReason: string | null;
  ratingAvg: number | null;
  ratingCount: number;
}
