import { defineTag } from '../define.js';
import { PortalRoot } from '../elements/portal-root/portal-root.js';
import { EquipmentList } from '../elements/equipment-list/equipment-list.js';

// Every element works inside a portal-root, so each entry brings it along.
defineTag('portal-root', PortalRoot);
defineTag('equipment-list', EquipmentList);
export { EquipmentList };
