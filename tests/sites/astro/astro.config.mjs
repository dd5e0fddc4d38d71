// Laid out as Astro's blog starter makes a site; written for feedpub's tests.
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import sitemap from '@astrojs/sitemap';

export default defineConfig({
	site: 'https://astro.example.com',
	integrations: [mdx(), sitemap()],
});
