/** The notice a closed store's H5 page shows (zh-CN first, with English). */
export function closedNotice(status: string): { 'zh-CN': string; en: string } | undefined {
  switch (status) {
    case 'active':
      return undefined;
    case 'pending':
      return { 'zh-CN': '本店正在筹备中，即将开业，敬请期待。', en: 'This store is opening soon.' };
    default:
      return {
        'zh-CN': '本店暂停营业，暂不接受预约。给您带来不便，敬请谅解。',
        en: 'This store is temporarily closed and is not taking bookings.',
      };
  }
}
