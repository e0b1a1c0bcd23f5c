-- Run once by the postgres service on its first start (docker-entrypoint-initdb.d), after it
-- made the users database: the other services' databases, owned by the same user.
CREATE DATABASE timelines;
CREATE DATABASE monitor;
