/* incidents_handlers.h — HTTP handlers of the control room (incidents_routes.def). */
#ifndef SG_INCIDENTS_HANDLERS_H
#define SG_INCIDENTS_HANDLERS_H

#include "http/http.h"
#include "modules/incidents/incidents.h"

void incidents_create(struct request *req, struct response *res);
void incidents_new(struct request *req, struct response *res);
void incidents_find(struct request *req, struct response *res);
void incidents_show(struct request *req, struct response *res);
void incidents_link_person(struct request *req, struct response *res);
void incidents_add_log(struct request *req, struct response *res);
void incidents_thrive(struct request *req, struct response *res);
void incidents_grade(struct request *req, struct response *res);
void incidents_authorise_grade(struct request *req, struct response *res);
void incidents_review(struct request *req, struct response *res);
void incidents_attend(struct request *req, struct response *res);
void incidents_close(struct request *req, struct response *res);
void incidents_voice_show(struct request *req, struct response *res);
void incidents_voice_record(struct request *req, struct response *res);
void incidents_voice_post(struct request *req, struct response *res);
void incidents_measures(struct request *req, struct response *res);

#endif
