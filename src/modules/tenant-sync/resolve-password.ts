/** The password of an account from its yaml entry: a literal (demo files) or an environment variable. */
export function resolvePassword(
  a: { password?: string; passwordEnv?: string },
  where: string,
  env: NodeJS.ProcessEnv = process.env,
): string {
  if (a.password !== undefined) return a.password;
  const value = a.passwordEnv ? env[a.passwordEnv] : undefined;
  if (!value || value.length < 10) {
    throw new Error(`${where}: environment variable ${a.passwordEnv} must hold a password of at least 10 characters`);
  }
  return value;
}
