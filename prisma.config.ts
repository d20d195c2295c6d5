import { defineConfig } from 'prisma/config';

// Prisma is the typed query client only: migrations are plain SQL in migrations/ (see README).
export default defineConfig({
  schema: 'prisma/schema.prisma',
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/massage' },
});
