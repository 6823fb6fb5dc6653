/* core_handlers.h — health, readiness, metrics and the API description. */
#ifndef SG_CORE_HANDLERS_H
#define SG_CORE_HANDLERS_H

#include "http/http.h"

void core_healthz(struct request *req, struct response *res);
void core_readyz(struct request *req, struct response *res);
void core_metrics(struct request *req, struct response *res);
void core_my_work(struct request *req, struct response *res);
void core_openapi(struct request *req, struct response *res);

/* The OpenAPI 3.0 description of app_routes (new reference). */
json_t *openapi_document(void);

#endif
