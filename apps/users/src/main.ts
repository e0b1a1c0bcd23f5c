import { runService } from '@app/common';
import { createUsersApp } from './users-app';
import { loadUsersConfig } from './users-config';

runService(() => loadUsersConfig(), createUsersApp);
