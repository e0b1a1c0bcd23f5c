import { runService } from '@app/common';
import { createTimelinesApp } from './timelines-app';
import { loadTimelinesConfig } from './timelines-config';

runService(() => loadTimelinesConfig(), createTimelinesApp);
