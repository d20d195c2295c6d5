/** Password given to massage_app in test databases (ignored where the server trusts local connections). */
export const TEST_APP_PASSWORD = 'app';
