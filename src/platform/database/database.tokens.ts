export const PRISMA = Symbol('PRISMA');
export const SQL_POOL = Symbol('SQL_POOL');
