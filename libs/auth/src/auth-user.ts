/** Who a request acts as: always taken from its credentials, never from its body or query. */
export interface AuthUser {
  id: number;
  username: string;
}
