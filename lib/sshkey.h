/* sshkey.h: parsing of OpenSSH public key lines. */
#ifndef LIB_SSHKEY_H
#define LIB_SSHKEY_H

/*
 * One public key, as in an authorized_keys line "TYPE BASE64 [COMMENT]"
 * (options before TYPE are refused: Lifebelt writes its own). The base64
 * blob must decode and name the same TYPE inside, so a truncated or pasted-
 * wrong key is caught at the door, not at the student's first push.
 */
struct sshkey {
	char *type;
	char *blob;     /* base64, as given */
	char *comment;  /* may be "" */
	char *fingerprint; /* "SHA256:..." as ssh-keygen -l prints it */
};

/* Parse one line; 0 or -1 with *why set to a static reason. Free with sshkey_release(). */
int sshkey_parse(struct sshkey *k, const char *line, const char **why);
void sshkey_release(struct sshkey *k);

#endif
