/** The app role's URL on the same server and database as an administrative URL. */
export function appDatabaseUrl(adminUrl: string, password?: string): string {
  const url = new URL(adminUrl);
  url.username = 'massage_app';
  url.password = password ?? '';
  return url.toString();
}
