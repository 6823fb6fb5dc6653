/* people_handlers.h — HTTP handlers of the people module (people_routes.def). */
#ifndef SG_PEOPLE_HANDLERS_H
#define SG_PEOPLE_HANDLERS_H

#include "http/http.h"
#include "modules/people/people.h"

void people_create(struct request *req, struct response *res);
void people_show(struct request *req, struct response *res);
void people_update(struct request *req, struct response *res);
void people_find(struct request *req, struct response *res);
void people_new(struct request *req, struct response *res);
void people_edit(struct request *req, struct response *res);
void people_data_quality(struct request *req, struct response *res);
void people_data_quality_chart(struct request *req, struct response *res);
void people_data_quality_pdf(struct request *req, struct response *res);
void people_access_log(struct request *req, struct response *res);

#endif
