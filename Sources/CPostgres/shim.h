// libpq, PostgreSQL's own C client (Debian's libpq-dev): connections, queries with parameters,
// LISTEN/NOTIFY. FrontlineStore's PostgresConnection is the only owner of its pointers.
#include <libpq-fe.h>
