/* hello.c: the smallest FastCGI responder (libfcgi's FCGX API), the
 * baseline that bench/http/run compares the login page with. Run under
 * spawn-fcgi, which passes the listening socket as fd 0. */
#include <fcgiapp.h>

int main(void)
{
	FCGX_Request req;

	if (FCGX_Init() != 0 || FCGX_InitRequest(&req, 0, 0) != 0)
		return 1;
	while (FCGX_Accept_r(&req) >= 0) {
		FCGX_PutS("Status: 200 OK\r\n"
			  "Content-Type: text/plain; charset=utf-8\r\n"
			  "\r\n"
			  "Hello, world!\n", req.out);
		FCGX_Finish_r(&req);
	}
	return 0;
}
