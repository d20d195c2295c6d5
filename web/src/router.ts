import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import { base } from './store-base';
import { session } from './session';

// Every page is its own chunk: the first screen loads only the shell and the home page.
const routes: RouteRecordRaw[] = [
  { path: '/', name: 'home', component: () => import('./pages/customer/HomePage.vue'), meta: { tab: 'home' } },
  { path: '/login', name: 'login', component: () => import('./pages/LoginPage.vue'), props: { role: 'customer' } },
  { path: '/services/:id', name: 'service', component: () => import('./pages/customer/ServicePage.vue') },
  {
    path: '/technicians',
    name: 'technicians',
    component: () => import('./pages/customer/TechniciansPage.vue'),
    meta: { tab: 'technicians' },
  },
  { path: '/technicians/:id', name: 'technician', component: () => import('./pages/customer/TechnicianPage.vue') },
  { path: '/book', name: 'book', component: () => import('./pages/customer/BookPage.vue'), meta: { auth: 'customer' } },
  {
    path: '/orders',
    name: 'orders',
    component: () => import('./pages/customer/OrdersPage.vue'),
    meta: { auth: 'customer', tab: 'orders' },
  },
  {
    path: '/orders/:id',
    name: 'order',
    component: () => import('./pages/customer/OrderPage.vue'),
    meta: { auth: 'customer' },
  },
  {
    path: '/orders/:id/pay',
    name: 'pay',
    component: () => import('./pages/customer/PayPage.vue'),
    meta: { auth: 'customer' },
  },
  {
    path: '/orders/:id/review',
    name: 'review',
    component: () => import('./pages/customer/ReviewPage.vue'),
    meta: { auth: 'customer' },
  },
  { path: '/me', name: 'me', component: () => import('./pages/customer/MePage.vue'), meta: { tab: 'me' } },
  {
    path: '/addresses',
    name: 'addresses',
    component: () => import('./pages/customer/AddressesPage.vue'),
    meta: { auth: 'customer' },
  },
  {
    path: '/addresses/:id',
    name: 'address',
    component: () => import('./pages/customer/AddressEditPage.vue'),
    meta: { auth: 'customer' },
  },
  // Technician side: same site, its own sign-in and token.
  {
    path: '/tech/login',
    name: 'tech-login',
    component: () => import('./pages/LoginPage.vue'),
    props: { role: 'technician' },
  },
  {
    path: '/tech',
    name: 'tech-home',
    component: () => import('./pages/tech/TechHomePage.vue'),
    meta: { auth: 'technician', techTab: 'home' },
  },
  {
    path: '/tech/apply',
    name: 'tech-apply',
    component: () => import('./pages/tech/TechApplyPage.vue'),
    meta: { auth: 'technician' },
  },
  {
    path: '/tech/grab',
    name: 'tech-grab',
    component: () => import('./pages/tech/GrabHallPage.vue'),
    meta: { auth: 'technician', techTab: 'grab' },
  },
  {
    path: '/tech/orders',
    name: 'tech-orders',
    component: () => import('./pages/tech/TechOrdersPage.vue'),
    meta: { auth: 'technician', techTab: 'orders' },
  },
  {
    path: '/tech/income',
    name: 'tech-income',
    component: () => import('./pages/tech/IncomePage.vue'),
    meta: { auth: 'technician', techTab: 'income' },
  },
  { path: '/:rest(.*)*', redirect: '/' },
];

export const router = createRouter({ history: createWebHistory(base.routerBase), routes });

router.beforeEach((to) => {
  const need = to.meta.auth as 'customer' | 'technician' | undefined;
  session.role.value = to.path.startsWith('/tech') ? 'technician' : 'customer';
  if (need && !session.tokens(need))
    return { name: need === 'customer' ? 'login' : 'tech-login', query: { next: to.fullPath } };
  return true;
});
