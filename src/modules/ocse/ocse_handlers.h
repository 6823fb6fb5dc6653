/* ocse_handlers.h — HTTP handlers of the online referrals area (ocse_routes.def). */
#ifndef SG_OCSE_HANDLERS_H
#define SG_OCSE_HANDLERS_H

#include "http/http.h"
#include "modules/ocse/ocse.h"

void ocse_h_create(struct request *req, struct response *res);
void ocse_h_import(struct request *req, struct response *res);
void ocse_h_list(struct request *req, struct response *res);
void ocse_h_measures(struct request *req, struct response *res);
void ocse_h_show(struct request *req, struct response *res);
void ocse_h_factors(struct request *req, struct response *res);
void ocse_h_resolve(struct request *req, struct response *res);
void ocse_h_escalate(struct request *req, struct response *res);
void ocse_h_action(struct request *req, struct response *res);
void ocse_h_close(struct request *req, struct response *res);

#endif
