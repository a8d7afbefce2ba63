import { defineConfig } from 'vite';
import { webConfig } from './vite.shared';

export default defineConfig(webConfig('portal'));
