/* addrlife.c: how long the kernel keeps an address (its valid lifetime, from an rtnetlink dump). */
#include "addrlife.h"

#include <errno.h>
#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "macro.h"

struct addr_req {
        struct nlmsghdr nh;
        struct ifaddrmsg ifa;
};

/* The valid lifetime in one RTM_NEWADDR message when it is address a: 1 found, 0 not. */
static int match_addr(const struct nlmsghdr *nh, const struct drs_addr *a, uint32_t *ret) {
        const struct ifaddrmsg *ifa = NLMSG_DATA(nh);
        int len = (int) IFA_PAYLOAD(nh);
        size_t alen = a->family == AF_INET ? 4 : 16;
        bool same = false;
        uint32_t valid = UINT32_MAX;

        if (ifa->ifa_family != a->family)
                return 0;
        for (const struct rtattr *rta = IFA_RTA(ifa); RTA_OK(rta, len); rta = RTA_NEXT(rta, len)) {
                if ((rta->rta_type == IFA_LOCAL || rta->rta_type == IFA_ADDRESS) && RTA_PAYLOAD(rta) == alen &&
                    memcmp(RTA_DATA(rta), a->bytes, alen) == 0)
                        same = true;
                else if (rta->rta_type == IFA_CACHEINFO && RTA_PAYLOAD(rta) >= sizeof(struct ifa_cacheinfo))
                        valid = ((const struct ifa_cacheinfo *) RTA_DATA(rta))->ifa_valid;
        }
        if (!same)
                return 0;
        *ret = valid;
        return 1;
}

int addr_valid_lifetime(const struct drs_addr *a, uint32_t *ret_valid_lft) {
        struct addr_req req = {
                .nh = {.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifaddrmsg)), .nlmsg_type = RTM_GETADDR,
                       .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP, .nlmsg_seq = 1},
                .ifa = {.ifa_family = (unsigned char) a->family},
        };
        char buf[16384];
        int fd, r = -ENOENT;
        bool done = false;

        fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
        if (fd < 0)
                return -errno;
        if (send(fd, &req, req.nh.nlmsg_len, 0) < 0) {
                r = -errno;
                goto out;
        }
        while (!done) {
                ssize_t n = recv(fd, buf, sizeof(buf), 0);
                if (n < 0) {
                        r = errno == EINTR ? r : -errno;
                        if (r != -ENOENT)
                                break;
                        continue;
                }
                if (n == 0)
                        break;
                for (struct nlmsghdr *nh = (struct nlmsghdr *) buf; NLMSG_OK(nh, (unsigned) n); nh = NLMSG_NEXT(nh, n)) {
                        if (nh->nlmsg_type == NLMSG_DONE || nh->nlmsg_type == NLMSG_ERROR) {
                                done = true;
                                break;
                        }
                        if (nh->nlmsg_type == RTM_NEWADDR && r == -ENOENT && match_addr(nh, a, ret_valid_lft) > 0)
                                r = 0;
                }
        }
out:
        close(fd);
        return r;
}
