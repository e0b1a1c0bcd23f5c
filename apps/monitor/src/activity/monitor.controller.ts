import { Controller, Get, Header, Query, UseGuards } from '@nestjs/common';
import { CredentialsGuard } from '@app/auth';
import { AdminGuard } from '../auth/admin.guard';
import { ActivityService, Stats, TrendingPost } from './activity.service';
import { renderDashboard } from './dashboard.view';

@Controller('monitor')
export class MonitorController {
  constructor(private readonly activity: ActivityService) {}

  @Get('trending')
  trending(@Query('window') window: unknown): { window: string; posts: TrendingPost[] } {
    return this.activity.trending(this.activity.windowOf(window));
  }

  @Get('stats')
  @UseGuards(CredentialsGuard, AdminGuard)
  stats(): Stats {
    return this.activity.stats();
  }

  @Get('dashboard')
  @UseGuards(CredentialsGuard, AdminGuard)
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'")
  dashboard(): string {
    return renderDashboard(this.activity.stats(), this.activity.trending('1h').posts, this.activity.postsPerMinute());
  }
}
