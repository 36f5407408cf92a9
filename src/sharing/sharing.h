/*
 * sharing/sharing.h
 *		Settings of the sharing module, whose SQL is control/install/95_security.sql and
 *		96_access.sql (grants, masking, the access log): who must approve the use
 *		of conditionally shared data.
 */
#ifndef TAXSHARE_SHARING_H
#define TAXSHARE_SHARING_H

/* Defines taxshare.grant_approval; called once from _PG_init(). */
extern void sharing_init(void);

#endif
