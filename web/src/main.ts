import { createApp } from 'vue';
import 'vant/es/style/base.css';
import App from './App.vue';
import { i18n } from './i18n';
import { router } from './router';
import { loadStore } from './store-state';
import './styles.css';

void loadStore();
createApp(App).use(i18n).use(router).mount('#app');
