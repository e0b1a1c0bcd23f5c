export * from './mastodon-error';
export * from './mastodon-page';
export * from './mastodon-params';
