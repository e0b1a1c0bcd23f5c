import { ConfigError } from '@app/config';
import { listen } from '@app/common';
import { createTimelinesApp } from './timelines-app';
import { loadTimelinesConfig } from './timelines-config';

async function bootstrap(): Promise<void> {
  const config = loadTimelinesConfig();
  const app = await createTimelinesApp(config);
  await listen(app, config);
}

bootstrap().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
