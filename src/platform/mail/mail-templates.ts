import type { MailLocale } from './mail-message';

export interface MailTemplates {
  'signup.verify': { ownerName: string; storeName: string; link: string; expiresHours: number };
  'store.approved': { ownerName: string; storeName: string; storeUrl: string };
  'store.rejected': { ownerName: string; storeName: string; reason: string };
}
export type MailTemplateName = keyof MailTemplates;

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

interface Copy {
  subject: string;
  /** Paragraphs; the last one is the sign-off. */
  lines: string[];
  /** A call to action rendered as a link in HTML. */
  action?: { label: string; url: string };
}

type Renderers = { [N in MailTemplateName]: Record<MailLocale, (v: MailTemplates[N]) => Copy> };

// zh-CN first; English for stores that chose it.
const RENDERERS: Renderers = {
  'signup.verify': {
    'zh-CN': (v) => ({
      subject: `请验证您的邮箱，完成「${v.storeName}」入驻申请`,
      lines: [
        `${v.ownerName}，您好：`,
        `感谢申请加盟。请在 ${v.expiresHours} 小时内点击下面的链接验证邮箱，验证后门店将进入平台审核。`,
        `如果这不是您本人的操作，请忽略本邮件。`,
      ],
      action: { label: '验证邮箱', url: v.link },
    }),
    en: (v) => ({
      subject: `Verify your e-mail to finish signing up "${v.storeName}"`,
      lines: [
        `Hello ${v.ownerName},`,
        `Thank you for applying. Open the link below within ${v.expiresHours} hours to verify your e-mail; the store then goes to platform review.`,
        `If you did not sign up, ignore this e-mail.`,
      ],
      action: { label: 'Verify e-mail', url: v.link },
    }),
  },
  'store.approved': {
    'zh-CN': (v) => ({
      subject: `恭喜！「${v.storeName}」已通过审核`,
      lines: [`${v.ownerName}，您好：`, `您的门店「${v.storeName}」已通过平台审核，现已开业。`, `祝生意兴隆！`],
      action: { label: '打开门店', url: v.storeUrl },
    }),
    en: (v) => ({
      subject: `"${v.storeName}" has been approved`,
      lines: [
        `Hello ${v.ownerName},`,
        `Your store "${v.storeName}" passed platform review and is now open.`,
        `Good luck!`,
      ],
      action: { label: 'Open your store', url: v.storeUrl },
    }),
  },
  'store.rejected': {
    'zh-CN': (v) => ({
      subject: `「${v.storeName}」的入驻申请未通过`,
      lines: [
        `${v.ownerName}，您好：`,
        `很抱歉，您的门店「${v.storeName}」未通过平台审核。`,
        `原因：${v.reason}`,
        `如有疑问，请回复本邮件联系平台运营。`,
      ],
    }),
    en: (v) => ({
      subject: `The application of "${v.storeName}" was not approved`,
      lines: [
        `Hello ${v.ownerName},`,
        `We are sorry: your store "${v.storeName}" did not pass platform review.`,
        `Reason: ${v.reason}`,
        `Reply to this e-mail if you have questions.`,
      ],
    }),
  },
};

export function renderMail<N extends MailTemplateName>(
  name: N,
  locale: MailLocale,
  vars: MailTemplates[N],
): RenderedMail {
  const copy = RENDERERS[name][locale](vars);
  const text = [...copy.lines, ...(copy.action ? [`${copy.action.label}: ${copy.action.url}`] : [])].join('\n\n');
  const paragraphs = copy.lines.map((l) => `<p>${escapeHtml(l)}</p>`);
  if (copy.action) {
    paragraphs.splice(2, 0, `<p><a href="${escapeHtml(copy.action.url)}">${escapeHtml(copy.action.label)}</a></p>`);
  }
  const lang = locale === 'en' ? 'en' : 'zh-CN';
  const html = `<!doctype html><html lang="${lang}"><body style="font-family:sans-serif;line-height:1.6">${paragraphs.join('')}</body></html>`;
  return { subject: copy.subject, text, html };
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
