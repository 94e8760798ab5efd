// NodeClient (node-client.h). (Being written.)
#include "admin-cli/node-client.h"
