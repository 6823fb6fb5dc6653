/* chronology_handlers.h — HTTP handlers of the chronology (chronology_routes.def). */
#ifndef SG_CHRONOLOGY_HANDLERS_H
#define SG_CHRONOLOGY_HANDLERS_H

#include "http/http.h"
#include "modules/chronology/chronology.h"

void chronology_h_show(struct request *req, struct response *res);
void chronology_h_export_json(struct request *req, struct response *res);
void chronology_h_export_pdf(struct request *req, struct response *res);
void chronology_h_portal_json(struct request *req, struct response *res);
void chronology_h_portal_pdf(struct request *req, struct response *res);
void chronology_h_board(struct request *req, struct response *res);
void chronology_h_board_version(struct request *req, struct response *res);

#endif
