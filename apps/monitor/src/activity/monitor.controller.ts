import { Controller, Get, Header, Query, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { CredentialsGuard } from '@app/auth';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProblems, ApiProduces, ApiQuery, ApiTags, asSchema } from '@app/common';
import { STATS_SCHEMA, TRENDING_SCHEMA } from './monitor.schema';
import { AdminGuard } from '../auth/admin.guard';
import { ActivityService, Stats, TrendingPost } from './activity.service';
import { renderDashboard } from './dashboard.view';
import { DASHBOARD_SCRIPT, SIGN_IN_PAGE, SIGN_IN_PAGE_POLICY } from './dashboard-sign-in.view';
import { DashboardAccessGuard, DashboardRequest } from '../auth/dashboard-access.guard';

@ApiTags('monitor')
@Controller('monitor')
export class MonitorController {
  constructor(private readonly activity: ActivityService) {}

  @Get('trending')
  @ApiOperation({ summary: 'At most 20 original posts, by likes + reposts + comments received in the window, then newest' })
  @ApiQuery({ name: 'window', required: false, schema: { type: 'string', enum: ['1h', '24h'], default: '1h' } })
  @ApiOkResponse({ schema: asSchema(TRENDING_SCHEMA) })
  @ApiProblems(400)
  trending(@Query('window') window: unknown): Promise<{ window: string; posts: TrendingPost[] }> {
    return this.activity.trending(this.activity.windowOf(window));
  }

  @Get('stats')
  @ApiOperation({ summary: "Totals, the most active users of the last 24 h, the consumers' lag (admins; Bearer only)" })
  @ApiBearerAuth('bearer')
  @ApiOkResponse({ schema: asSchema(STATS_SCHEMA) })
  @ApiProblems(401, 403)
  @UseGuards(CredentialsGuard, AdminGuard)
  stats(): Promise<Stats> {
    return this.activity.stats();
  }

  @Get('dashboard')
  @ApiOperation({
    summary:
      "A page for people: without credentials, a sign-in form that loads the figures live; with an admin's Bearer token, the figures (totals, trending, posts per minute over the last hour)",
  })
  @ApiBearerAuth('bearer')
  @ApiProduces('text/html')
  @ApiOkResponse({ content: { 'text/html': { schema: { type: 'string' } } }, description: 'an HTML page' })
  @ApiProblems(401, 403)
  @UseGuards(DashboardAccessGuard)
  @Header('Content-Type', 'text/html; charset=utf-8')
  async dashboard(@Req() request: DashboardRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    if (request.signInPage) {
      reply.header('Content-Security-Policy', SIGN_IN_PAGE_POLICY);
      return SIGN_IN_PAGE;
    }
    reply.header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'");
    return renderDashboard(await this.activity.stats(), (await this.activity.trending('1h')).posts, await this.activity.postsPerMinute());
  }

  @Get('dashboard.js')
  @ApiOperation({ summary: "The sign-in page's script" })
  @ApiProduces('application/javascript')
  @ApiOkResponse({ content: { 'application/javascript': { schema: { type: 'string' } } }, description: 'JavaScript' })
  @Header('Content-Type', 'application/javascript; charset=utf-8')
  @Header('Cache-Control', 'no-cache')
  dashboardScript(): string {
    return DASHBOARD_SCRIPT;
  }
}
