/* auth_handlers.h — sign-in/out, the current user, user administration, audit check. */
#ifndef SG_AUTH_HANDLERS_H
#define SG_AUTH_HANDLERS_H

#include "auth/users.h"
#include "http/http.h"

extern const struct field session_create_fields[];

void session_create(struct request *req, struct response *res);
void session_form(struct request *req, struct response *res);
void session_show(struct request *req, struct response *res);
void session_delete(struct request *req, struct response *res);
void admin_users_list(struct request *req, struct response *res);
void admin_users_create(struct request *req, struct response *res);
void admin_users_show(struct request *req, struct response *res);
void admin_users_update(struct request *req, struct response *res);
void admin_users_password(struct request *req, struct response *res);
void admin_tokens_create(struct request *req, struct response *res);
void admin_tokens_list(struct request *req, struct response *res);
void admin_tokens_revoke(struct request *req, struct response *res);
void audit_verify_handler(struct request *req, struct response *res);

#endif
