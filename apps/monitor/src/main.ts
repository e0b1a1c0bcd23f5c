import { runService } from '@app/common';
import { createMonitorApp } from './monitor-app';
import { loadMonitorConfig } from './monitor-config';

runService(() => loadMonitorConfig(), createMonitorApp);
