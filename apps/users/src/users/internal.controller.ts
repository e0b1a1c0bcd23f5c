import { Controller, Get, Param } from '@nestjs/common';
import { Role } from '@app/auth';
import { UsersService } from './users.service';

/**
 * Service-to-service routes. HAProxy never routes /internal, so clients on port 80 cannot
 * reach them; they expose nothing that the public follow lists do not.
 */
@Controller('internal/users')
export class InternalController {
  constructor(private readonly users: UsersService) {}

  @Get(':username/role')
  role(@Param('username') username: string): Promise<{ username: string; role: Role }> {
    return this.users.role(username);
  }

  @Get(':username/following')
  async following(@Param('username') username: string): Promise<{ usernames: string[] }> {
    return { usernames: await this.users.followingUsernames(username) };
  }
}
