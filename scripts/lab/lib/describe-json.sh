#!/usr/bin/env bash
# shellcheck disable=SC2154  # the lab's constants come from spec.sh, its options from lab.sh
# Writes what EC2 would answer about the lab instance: DescribeNetworkInterfaces and DescribeSubnets
# output in the SDK v3 shape (the same field names the CLI's --output json prints).

readonly lab_instance_id=i-0e1ab00000000a1b2
readonly lab_vpc_id=vpc-0e1ab0000000000aa
readonly lab_az=ap-northeast-1a
readonly lab_owner=123456789012

lab_eni_id() { printf 'eni-0e1ab%012x\n' "$(($1 + 1))"; }
lab_subnet_id() { printf 'subnet-0e1ab%012x\n' "$1"; }

lab_write_describe_network_interfaces() {
  local i first ip primary sep=""
  printf '{\n  "NetworkInterfaces": [\n'
  for i in "${!eni_subnet[@]}"; do
    printf '%s    {\n' "$sep"
    sep=","
    lab_is_attached "$i" && printf '      "Attachment": { "AttachTime": "2026-11-26T05:00:00+00:00", "AttachmentId": "eni-attach-0e1ab%012x", "DeleteOnTermination": %s, "DeviceIndex": %d, "NetworkCardIndex": 0, "InstanceId": "%s", "InstanceOwnerId": "%s", "Status": "attached" },\n' \
      "$((i + 1))" "$([[ $i == 0 ]] && echo true || echo false)" "$i" "$lab_instance_id" "$lab_owner"
    printf '      "AvailabilityZone": "%s", "Description": "eni-pbr lab ENI %d", "Groups": [ { "GroupId": "sg-0e1ab000000000001", "GroupName": "lab" } ],\n' "$lab_az" "$i"
    printf '      "InterfaceType": "interface", "Ipv6Addresses": [], "Ipv4Prefixes": [],\n'
    printf '      "MacAddress": "%s", "NetworkInterfaceId": "%s", "OwnerId": "%s",\n' "$(lab_mac "$i")" "$(lab_eni_id "$i")" "$lab_owner"
    primary="${eni_ips[$i]%% *}"
    printf '      "PrivateDnsName": "ip-%s.%s.compute.internal", "PrivateIpAddress": "%s",\n' "${primary//./-}" "${lab_az%?}" "$primary"
    printf '      "PrivateIpAddresses": ['
    first=true
    for ip in ${eni_ips[$i]}; do
      $first || printf ','
      printf ' { "Primary": %s, "PrivateDnsName": "ip-%s.%s.compute.internal", "PrivateIpAddress": "%s" }' "$first" "${ip//./-}" "${lab_az%?}" "$ip"
      first=false
    done
    printf ' ],\n'
    printf '      "RequesterManaged": false, "SourceDestCheck": true, "Status": "%s", "SubnetId": "%s", "TagSet": [], "VpcId": "%s"\n' "$(lab_is_attached "$i" && echo in-use || echo available)" "$(lab_subnet_id "${eni_subnet[$i]}")" "$lab_vpc_id"
    printf '    }\n'
  done
  printf '  ]\n}\n'
}

lab_write_describe_subnets() {
  local n sep=""
  printf '{\n  "Subnets": [\n'
  while read -r n; do
    printf '%s    { "AvailabilityZone": "%s", "AvailabilityZoneId": "apne1-az4", "AvailableIpAddressCount": 250, "CidrBlock": "10.0.%d.0/24", "DefaultForAz": false, "MapPublicIpOnLaunch": false, "State": "available", "SubnetId": "%s", "VpcId": "%s", "OwnerId": "%s", "AssignIpv6AddressOnCreation": false, "Ipv6CidrBlockAssociationSet": [] }\n' \
      "$sep" "$lab_az" "$n" "$(lab_subnet_id "$n")" "$lab_vpc_id" "$lab_owner"
    sep=","
  done < <(printf '%s\n' "${eni_subnet[@]}" | sort -nu)
  printf '  ]\n}\n'
}
