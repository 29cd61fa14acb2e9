/* getaddrinfo / freeaddrinfo with Windows' ADDRINFOA layout; inet_pton / inet_ntop. */
#include <winsock2.h>
#include <ws2tcpip.h>

#include <stddef.h>

#include "tcheck.h"
#include "tnet.h"

START_TEST(layout_is_windows)
{
    /* ai_addrlen is a size_t and ai_canonname comes before ai_addr. */
    ck_assert_uint_eq(offsetof(ADDRINFOA, ai_addrlen), 16);
    ck_assert_uint_eq(offsetof(ADDRINFOA, ai_canonname), 24);
    ck_assert_uint_eq(offsetof(ADDRINFOA, ai_addr), 32);
    ck_assert_uint_eq(offsetof(ADDRINFOA, ai_next), 40);
    ck_assert_int_eq(AF_INET6, 23);
    ck_assert_uint_eq(sizeof(SOCKADDR_IN6), 28);
}
END_TEST

START_TEST(numeric_ipv6)
{
    ntt_wsa_startup();
    ADDRINFOA hints, *res = NULL;
    memset(&hints, 0, sizeof(hints));
    hints.ai_flags = AI_NUMERICHOST;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_protocol = IPPROTO_TCP;
    ck_assert_int_eq(getaddrinfo("::1", "8080", &hints, &res), 0);
    ck_assert_ptr_nonnull(res);
    ck_assert_int_eq(res->ai_family, AF_INET6);
    ck_assert_int_eq(res->ai_socktype, SOCK_STREAM);
    ck_assert_int_eq(res->ai_protocol, IPPROTO_TCP);
    ck_assert_uint_eq(res->ai_addrlen, sizeof(SOCKADDR_IN6));
    const SOCKADDR_IN6 *sin6 = (const SOCKADDR_IN6 *)res->ai_addr;
    ck_assert_uint_eq(sin6->sin6_family, AF_INET6);
    ck_assert_uint_eq(ntohs(sin6->sin6_port), 8080);
    ck_assert_mem_eq(&sin6->sin6_addr, &in6addr_loopback, sizeof(IN6_ADDR));
    ck_assert_ptr_null(res->ai_next);
    freeaddrinfo(res);
    WSACleanup();
}
END_TEST

START_TEST(numeric_ipv4_passive)
{
    ntt_wsa_startup();
    ADDRINFOA hints, *res = NULL;
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_INET;
    hints.ai_flags = AI_PASSIVE;
    hints.ai_socktype = SOCK_STREAM;
    ck_assert_int_eq(getaddrinfo(NULL, "80", &hints, &res), 0);
    ck_assert_int_eq(res->ai_family, AF_INET);
    ck_assert_uint_eq(res->ai_addrlen, sizeof(SOCKADDR_IN));
    const SOCKADDR_IN *sin = (const SOCKADDR_IN *)res->ai_addr;
    ck_assert_uint_eq(sin->sin_family, AF_INET);
    ck_assert_uint_eq(sin->sin_addr.s_addr, htonl(INADDR_ANY));
    ck_assert_uint_eq(ntohs(sin->sin_port), 80);
    freeaddrinfo(res);
    WSACleanup();
}
END_TEST

START_TEST(bad_numeric_host_is_host_not_found)
{
    ntt_wsa_startup();
    ADDRINFOA hints, *res = NULL;
    memset(&hints, 0, sizeof(hints));
    hints.ai_flags = AI_NUMERICHOST;
    int r = getaddrinfo("not-an-address", "80", &hints, &res);
    ck_assert_int_eq(r, EAI_NONAME);
    ck_assert_int_eq(EAI_NONAME, WSAHOST_NOT_FOUND);
    ck_assert_ptr_null(res);
    WSACleanup();
}
END_TEST

START_TEST(pton_and_ntop)
{
    IN_ADDR a4;
    IN6_ADDR a6;
    ck_assert_int_eq(inet_pton(AF_INET, "127.0.0.1", &a4), 1);
    ck_assert_uint_eq(a4.s_addr, htonl(INADDR_LOOPBACK));
    ck_assert_int_eq(inet_pton(AF_INET, "300.1.2.3", &a4), 0);
    ck_assert_int_eq(inet_pton(AF_INET6, "::1", &a6), 1);
    ck_assert_mem_eq(&a6, &in6addr_loopback, sizeof(a6));
    char buf[INET6_ADDRSTRLEN];
    ck_assert_str_eq(inet_ntop(AF_INET, &a4, buf, sizeof(buf)) ? buf : "", "127.0.0.1");
    ck_assert_str_eq(inet_ntop(AF_INET6, &a6, buf, sizeof(buf)) ? buf : "", "::1");
    WSASetLastError(0);
    int r = inet_pton(12345, "1.2.3.4", &a4);
    int e = WSAGetLastError();
    ck_assert_int_eq(r, -1);
    ck_assert_int_eq(e, WSAEAFNOSUPPORT);
    ck_assert_uint_eq(inet_addr("10.1.2.3"), htonl(0x0a010203));
    ck_assert_uint_eq(inet_addr("junk"), INADDR_NONE);
    IN_ADDR x;
    x.s_addr = htonl(0xc0a80001);
    ck_assert_str_eq(inet_ntoa(x), "192.168.0.1");
}
END_TEST

NTT_MAIN(layout_is_windows, numeric_ipv6, numeric_ipv4_passive, bad_numeric_host_is_host_not_found,
         pton_and_ntop)
