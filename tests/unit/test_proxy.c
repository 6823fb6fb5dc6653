/* test_proxy.c — the client's address behind trusted load balancers (http/proxy.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "core/config.h"
#include "http/proxy.h"

static struct config cfg;

static const char *client(const char *peer, const char *xff)
{
    static char out[48];
    proxy_client_address(&cfg, peer, xff, out, sizeof(out));
    return out;
}

static int setup(void **state)
{
    (void)state;
    char err[128];
    memset(&cfg, 0, sizeof(cfg));
    return config_set(&cfg, "trusted_proxies", "10.0.0.5, 10.0.0.6,2001:db8::1", err, sizeof(err));
}

static void test_untrusted_peer_is_believed_not_its_header(void **state)
{
    (void)state;
    assert_string_equal(client("192.0.2.44", "203.0.113.7"), "192.0.2.44");
    assert_string_equal(client("192.0.2.44", NULL), "192.0.2.44");
}

static void test_trusted_peer_names_the_client(void **state)
{
    (void)state;
    assert_string_equal(client("10.0.0.5", "203.0.113.7"), "203.0.113.7");
    assert_string_equal(client("2001:db8::1", " 2001:db8::99 "), "2001:db8::99");
    /* A forged entry on the left is ignored: the rightmost untrusted one is
     * what the balancer saw. Chained balancers are skipped. */
    assert_string_equal(client("10.0.0.5", "198.51.100.1, 203.0.113.7"), "203.0.113.7");
    assert_string_equal(client("10.0.0.5", "198.51.100.1, 203.0.113.7, 10.0.0.6"), "203.0.113.7");
}

static void test_nonsense_keeps_the_peer(void **state)
{
    (void)state;
    assert_string_equal(client("10.0.0.5", ""), "10.0.0.5");
    assert_string_equal(client("10.0.0.5", "not-an-address"), "10.0.0.5");
    assert_string_equal(client("10.0.0.5", "203.0.113.7, ,"), "10.0.0.5");
    assert_string_equal(client("10.0.0.5", "10.0.0.6"), "10.0.0.5");
    assert_string_equal(client("10.0.0.5", "203.0.113.7:443"), "10.0.0.5");
}

static void test_configuration_is_checked(void **state)
{
    (void)state;
    struct config c;
    char err[128];
    memset(&c, 0, sizeof(c));
    assert_int_equal(config_set(&c, "trusted_proxies", "10.0.0.5,balancer.local", err, sizeof(err)),
                     -1);
    assert_non_null(strstr(err, "'balancer.local' is not an IP address"));
    assert_int_equal(config_set(&c, "trusted_proxies", "", err, sizeof(err)), 0);
    assert_int_equal(c.ntrusted_proxies, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_untrusted_peer_is_believed_not_its_header),
        cmocka_unit_test(test_trusted_peer_names_the_client),
        cmocka_unit_test(test_nonsense_keeps_the_peer),
        cmocka_unit_test(test_configuration_is_checked),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
