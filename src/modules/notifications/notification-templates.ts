import { DateTime } from 'luxon';
import { instantOfIsoUtc, wallTime, type WallTime } from '../../platform/time/zoned-time';

export type NotificationLocale = 'zh-CN' | 'en';

/** When an order starts: the instant and the store's zone, formatted for the reader. */
interface When {
  startAt: string;
  timeZone: string;
}

/**
 * Every notification the platform sends and its parameters. Parameters are stored with the row
 * (jsonb), so they hold no personal data beyond what the recipient may see anyway.
 */
export interface NotificationTemplates {
  'order.paid': { orderNo: string; serviceName: string };
  'order.assigned': { orderNo: string; technicianName: string } & When;
  'order.new_assignment': { orderNo: string; serviceName: string } & When;
  'order.departed': { orderNo: string; technicianName: string };
  'order.arrived': { orderNo: string; technicianName: string };
  'order.completed': { orderNo: string; technicianName: string };
  'order.cancelled': { orderNo: string; refundFen: number | null };
  'order.refunded': { orderNo: string; amountFen: number };
  'order.start_reminder': { orderNo: string; serviceName: string } & When;
  'technician.approved': { storeName: string };
  'technician.rejected': { storeName: string; reason: string };
  'technician.certificate_verified': { storeName: string; kind: string };
  'technician.certificate_rejected': { storeName: string; kind: string; reason: string };
  'staff.new_order': { orderNo: string; serviceName: string } & When;
  'staff.sos': { orderNo: string | null; technicianName: string };
  'staff.overrun': { orderNo: string; technicianName: string | null; minutes: number };
  'staff.refund_failed': { orderNo: string; amountFen: number };
}
export type NotificationTemplateName = keyof NotificationTemplates;

export interface RenderedNotification {
  title: string;
  body: string;
}

type Renderers = {
  [N in NotificationTemplateName]: Record<NotificationLocale, (p: NotificationTemplates[N]) => RenderedNotification>;
};

const CERTIFICATE_NAMES: Record<string, Record<NotificationLocale, string>> = {
  massage_license: { 'zh-CN': '按摩师证', en: 'massage licence' },
  health_certificate: { 'zh-CN': '健康证', en: 'health certificate' },
  training: { 'zh-CN': '培训证书', en: 'training certificate' },
};
const certificateName = (kind: string, locale: NotificationLocale) =>
  CERTIFICATE_NAMES[kind]?.[locale] ?? (locale === 'en' ? 'certificate' : '资质证书');
const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`;

/**
 * The start's local fields when it is written as toISOString writes it (every notice we plan) in a
 * zone we know; null sends the text to luxon, whose ISO grammar is wider and which writes
 * "Invalid DateTime" for what it cannot read — the same text as before either way.
 */
const localStart = (w: When): WallTime | null => {
  const at = instantOfIsoUtc(w.startAt);
  return Number.isNaN(at) ? null : wallTime(at, w.timeZone);
};
const hhmm = (t: WallTime) => `${String(t.hour).padStart(2, '0')}:${String(t.minute).padStart(2, '0')}`;
const EN_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const zhTime = (w: When) => {
  const t = localStart(w);
  return t
    ? `${t.month}月${t.day}日 ${hhmm(t)}`
    : DateTime.fromISO(w.startAt).setZone(w.timeZone).toFormat('M月d日 HH:mm');
};
const enTime = (w: When) => {
  const t = localStart(w);
  return t
    ? `${EN_MONTHS[t.month - 1]} ${t.day}, ${hhmm(t)}`
    : DateTime.fromISO(w.startAt).setZone(w.timeZone).setLocale('en').toFormat('MMM d, HH:mm');
};

// zh-CN first; English for stores that chose it.
const RENDERERS: Renderers = {
  'order.paid': {
    'zh-CN': (p) => ({ title: '支付成功', body: `订单 ${p.orderNo}（${p.serviceName}）已支付，正在为您安排技师。` }),
    en: (p) => ({
      title: 'Payment received',
      body: `Order ${p.orderNo} (${p.serviceName}) is paid; we are finding your technician.`,
    }),
  },
  'order.assigned': {
    'zh-CN': (p) => ({
      title: '技师已接单',
      body: `${p.technicianName} 将于 ${zhTime(p)} 为您服务（订单 ${p.orderNo}）。`,
    }),
    en: (p) => ({
      title: 'Technician assigned',
      body: `${p.technicianName} will serve you at ${enTime(p)} (order ${p.orderNo}).`,
    }),
  },
  'order.new_assignment': {
    'zh-CN': (p) => ({
      title: '您有新订单',
      body: `订单 ${p.orderNo}：${p.serviceName}，${zhTime(p)} 开始，请及时确认。`,
    }),
    en: (p) => ({
      title: 'New order for you',
      body: `Order ${p.orderNo}: ${p.serviceName} at ${enTime(p)}. Please confirm.`,
    }),
  },
  'order.departed': {
    'zh-CN': (p) => ({ title: '技师已出发', body: `${p.technicianName} 已出发前往您的地址（订单 ${p.orderNo}）。` }),
    en: (p) => ({
      title: 'Technician on the way',
      body: `${p.technicianName} has left for your address (order ${p.orderNo}).`,
    }),
  },
  'order.arrived': {
    'zh-CN': (p) => ({ title: '技师已到达', body: `${p.technicianName} 已到达（订单 ${p.orderNo}）。` }),
    en: (p) => ({ title: 'Technician arrived', body: `${p.technicianName} has arrived (order ${p.orderNo}).` }),
  },
  'order.completed': {
    'zh-CN': (p) => ({
      title: '服务已完成，请评价',
      body: `订单 ${p.orderNo} 已完成。欢迎为 ${p.technicianName} 的服务打分评价。`,
    }),
    en: (p) => ({
      title: 'Service completed — please review',
      body: `Order ${p.orderNo} is complete. Tell us how ${p.technicianName} did.`,
    }),
  },
  'order.cancelled': {
    'zh-CN': (p) => ({
      title: '订单已取消',
      body:
        p.refundFen !== null && p.refundFen > 0
          ? `订单 ${p.orderNo} 已取消，将退款 ${yuan(p.refundFen)}。`
          : `订单 ${p.orderNo} 已取消。`,
    }),
    en: (p) => ({
      title: 'Order cancelled',
      body:
        p.refundFen !== null && p.refundFen > 0
          ? `Order ${p.orderNo} was cancelled; ${yuan(p.refundFen)} will be refunded.`
          : `Order ${p.orderNo} was cancelled.`,
    }),
  },
  'order.refunded': {
    'zh-CN': (p) => ({ title: '退款成功', body: `订单 ${p.orderNo} 已退款 ${yuan(p.amountFen)}，请留意原支付账户。` }),
    en: (p) => ({
      title: 'Refund completed',
      body: `${yuan(p.amountFen)} of order ${p.orderNo} was refunded to your payment account.`,
    }),
  },
  'order.start_reminder': {
    'zh-CN': (p) => ({ title: '服务即将开始', body: `订单 ${p.orderNo}（${p.serviceName}）将于 ${zhTime(p)} 开始。` }),
    en: (p) => ({ title: 'Starting soon', body: `Order ${p.orderNo} (${p.serviceName}) starts at ${enTime(p)}.` }),
  },
  'technician.approved': {
    'zh-CN': (p) => ({
      title: '入驻申请已通过',
      body: `恭喜！您在「${p.storeName}」的技师申请已通过审核，可以上线接单了。`,
    }),
    en: (p) => ({
      title: 'Application approved',
      body: `Your application at "${p.storeName}" was approved. You can go online now.`,
    }),
  },
  'technician.rejected': {
    'zh-CN': (p) => ({
      title: '入驻申请未通过',
      body: `您在「${p.storeName}」的技师申请未通过：${p.reason}。请修改后重新提交。`,
    }),
    en: (p) => ({
      title: 'Application not approved',
      body: `Your application at "${p.storeName}" was not approved: ${p.reason}. Please update and resubmit.`,
    }),
  },
  'technician.certificate_verified': {
    'zh-CN': (p) => ({
      title: '资质证书已认证',
      body: `您在「${p.storeName}」提交的${certificateName(p.kind, 'zh-CN')}已通过认证，将在您的主页显示"已认证"。`,
    }),
    en: (p) => ({
      title: 'Certificate verified',
      body: `Your ${certificateName(p.kind, 'en')} at "${p.storeName}" was verified; your profile now shows it as verified.`,
    }),
  },
  'technician.certificate_rejected': {
    'zh-CN': (p) => ({
      title: '资质证书未通过认证',
      body: `您在「${p.storeName}」提交的${certificateName(p.kind, 'zh-CN')}未通过认证：${p.reason}。请重新上传。`,
    }),
    en: (p) => ({
      title: 'Certificate not verified',
      body: `Your ${certificateName(p.kind, 'en')} at "${p.storeName}" was not verified: ${p.reason}. Please upload it again.`,
    }),
  },
  'staff.new_order': {
    'zh-CN': (p) => ({ title: '新订单', body: `新订单 ${p.orderNo}：${p.serviceName}，${zhTime(p)} 开始。` }),
    en: (p) => ({ title: 'New order', body: `New order ${p.orderNo}: ${p.serviceName} at ${enTime(p)}.` }),
  },
  'staff.sos': {
    'zh-CN': (p) => ({
      title: '【紧急】技师求助',
      body: `${p.technicianName} 触发了紧急求助${p.orderNo ? `（订单 ${p.orderNo}）` : ''}，请立即联系！`,
    }),
    en: (p) => ({
      title: '[URGENT] Technician SOS',
      body: `${p.technicianName} pressed SOS${p.orderNo ? ` (order ${p.orderNo})` : ''}. Contact them now!`,
    }),
  },
  'staff.overrun': {
    'zh-CN': (p) => ({
      title: '服务超时未签退',
      body: `订单 ${p.orderNo}${p.technicianName ? `（${p.technicianName}）` : ''} 已超过结束时间 ${p.minutes} 分钟仍未签退，请确认技师安全。`,
    }),
    en: (p) => ({
      title: 'Service overrun',
      body: `Order ${p.orderNo}${p.technicianName ? ` (${p.technicianName})` : ''} is ${p.minutes} min past its end without check-out. Please check on the technician.`,
    }),
  },
  'staff.refund_failed': {
    'zh-CN': (p) => ({
      title: '退款失败',
      body: `订单 ${p.orderNo} 的退款 ${yuan(p.amountFen)} 未能退回顾客（退款关闭或异常），请在商户平台处理或改用其他方式退款。`,
    }),
    en: (p) => ({
      title: 'Refund failed',
      body: `The refund of ${yuan(p.amountFen)} for order ${p.orderNo} did not reach the customer (closed or abnormal). Handle it in the merchant platform or refund another way.`,
    }),
  },
};

export function renderNotification<N extends NotificationTemplateName>(
  template: N,
  locale: NotificationLocale,
  params: NotificationTemplates[N],
): RenderedNotification {
  return RENDERERS[template][locale](params);
}

export function notificationLocale(locale: string | null | undefined): NotificationLocale {
  return locale === 'en' ? 'en' : 'zh-CN';
}

export const NOTIFICATION_TEMPLATES = Object.keys(RENDERERS) as NotificationTemplateName[];
